import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { Agent, fetch as undiciFetch } from "undici";

/** The `fetch` this server uses for every outbound call: the JWKS, Entra (MSAL) and Microsoft Graph. */
export type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * Without a CA file this is the global fetch. With one (the mcp-entra dev tenant's CA), it is a
 * fetch that trusts the system CAs plus that CA, for these calls only: TLS verification stays on and
 * nothing process-wide (such as NODE_EXTRA_CA_CERTS) is needed.
 */
export function createOutboundFetch(caFile?: string): Fetch {
  if (!caFile) return globalThis.fetch.bind(globalThis);
  const ca = readFileSync(caFile, "utf8");
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, ca] } });
  return (input, init) =>
    undiciFetch(input, { ...init, dispatcher } as Parameters<
      typeof undiciFetch
    >[1]) as unknown as Promise<Response>;
}
