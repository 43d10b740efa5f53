import type { Configuration, NodeAuthOptions } from "@azure/msal-node";
import { msalNetworkClient, trustedFetch } from "./trust.js";

export interface MsalTarget {
  /** e.g. https://login.microsoftonline.com/<tenant> or https://localhost:44331/<tenant> */
  authority: string;
  /** Extra CA certificates (PEM) to trust for this client only, such as the dev tenant's CA. */
  caPems?: string[];
}

/**
 * msal-node configuration for a tenant: the authority's host is a known authority (no instance
 * discovery against the public cloud, which also makes the dev tenant work offline) and TLS trusts
 * the given CAs through this client's own network module.
 */
export function msalConfiguration(
  target: MsalTarget,
  auth: Omit<NodeAuthOptions, "authority" | "knownAuthorities">,
  extra: Omit<Configuration, "auth" | "system"> = {},
): Configuration {
  const host = new URL(target.authority).host;
  return {
    ...extra,
    auth: { ...auth, authority: target.authority, knownAuthorities: [host] },
    system: { networkClient: msalNetworkClient(trustedFetch(target.caPems ?? [])) },
  };
}
