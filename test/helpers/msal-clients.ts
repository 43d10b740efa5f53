import { ConfidentialClientApplication, type NodeAuthOptions } from "@azure/msal-node";
import { msalConfiguration } from "../../src/entra/msal-config.js";
import { type FetchLike, msalNetworkClient, trustedFetch } from "../../src/entra/trust.js";
import type { DevTenant } from "../../src/tenant/index.js";

/** One HTTP exchange as the client saw it on the wire. */
export interface RecordedResponse {
  url: string;
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * A real msal-node ConfidentialClientApplication against the dev tenant (configured the way mcp-entra
 * configures it), whose network client also records every response so tests can check the raw HTTP.
 */
export function confidentialClient(
  tenant: DevTenant,
  auth: Omit<NodeAuthOptions, "authority" | "knownAuthorities">,
  options: { authority?: string } = {},
): { msal: ConfidentialClientApplication; responses: RecordedResponse[] } {
  const responses: RecordedResponse[] = [];
  const recording = recordingFetch(trustedFetch([tenant.caPem]), responses);
  const config = msalConfiguration(
    { authority: options.authority ?? tenant.urls.authority, caPems: [tenant.caPem] },
    auth,
  );
  config.system = { ...config.system, networkClient: msalNetworkClient(recording) };
  return { msal: new ConfidentialClientApplication(config), responses };
}

/** `base`, recording every response it receives in `responses`. */
export function recordingFetch(base: FetchLike, responses: RecordedResponse[]): FetchLike {
  return async (input, init) => {
    const response = await base(input, init);
    const body = await response
      .clone()
      .json()
      .catch(() => undefined);
    responses.push({ url: String(input), status: response.status, headers: response.headers, body });
    return response;
  };
}

/** The last token endpoint response a recorded client received. */
export function lastTokenResponse(responses: RecordedResponse[]): RecordedResponse {
  const found = responses.filter((response) => response.url.includes("/oauth2/v2.0/token")).at(-1);
  if (!found) throw new Error("The client made no token request");
  return found;
}

/** POSTs a form to a token endpoint of the dev tenant (for requests msal cannot express). */
export async function postToken(
  tenant: DevTenant,
  params: Record<string, string>,
  options: { segment?: string; authorization?: string } = {},
): Promise<RecordedResponse> {
  const url = `${tenant.url}/${options.segment ?? tenant.tenantId}/oauth2/v2.0/token`;
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (options.authorization) headers.authorization = options.authorization;
  const response = await trustedFetch([tenant.caPem])(url, {
    method: "POST",
    headers,
    body: new URLSearchParams(params).toString(),
  });
  const body = await response.json().catch(() => undefined);
  return { url, status: response.status, headers: response.headers, body };
}
