import { invalidFlag } from "../../core/errors.js";
import type { GraphApi } from "../graph-api.js";
import { APP_ID_URI_PLACEHOLDER } from "./model.js";

/**
 * An https Application ID URI must be on one of the tenant's verified domains (or a subdomain of
 * one); Graph refuses others with HostNameNotOnVerifiedDomain. Checked before any write so that a
 * bad --server-url is a usage error, not a half-done registration.
 */
export async function checkIdentifierUriDomain(
  graph: GraphApi,
  identifierUri: string | null,
  flag: "--server-url" | "--app-id-uri",
): Promise<void> {
  if (!identifierUri || identifierUri === APP_ID_URI_PLACEHOLDER || !identifierUri.startsWith("https://"))
    return;
  const host = new URL(identifierUri).hostname.toLowerCase();
  const organizations = await graph.list<{ verifiedDomains?: { name: string }[] }>(
    "/organization?$select=verifiedDomains",
  );
  const domains = organizations
    .flatMap((org) => org.verifiedDomains ?? [])
    .map((domain) => domain.name.toLowerCase());
  if (domains.some((domain) => host === domain || host.endsWith(`.${domain}`))) return;
  throw invalidFlag(
    flag,
    `${host} is not on a verified domain of this tenant (verified: ${domains.join(", ") || "none"}), so it cannot be the Application ID URI`,
    "verify the domain in the tenant, or pass --app-id-uri api://<name> (clients must then not send the resource parameter)",
  );
}
