import { createSecureContext, rootCertificates } from "node:tls";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { Agent, fetch as undiciFetch } from "undici";

/** `fetch`, as every client in mcp-entra uses it. */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

const cache = new Map<string, FetchLike>();

/**
 * A fetch that trusts the system's CAs plus the given extra CA certificates (PEM), per client:
 * nothing process-wide changes and TLS verification stays on. Without extra CAs it is global fetch.
 */
export function trustedFetch(extraCaPems: string[] = []): FetchLike {
  if (extraCaPems.length === 0) return globalThis.fetch.bind(globalThis);
  const key = extraCaPems.join("\n");
  let cached = cache.get(key);
  if (!cached) {
    // One secure context for every connection: given only `ca`, each new connection would parse the
    // ~150 system roots again (about 10 ms each).
    const secureContext = createSecureContext({ ca: [...rootCertificates, ...extraCaPems] });
    const dispatcher = new Agent({ connect: { secureContext } });
    cached = ((input, init) =>
      undiciFetch(input, { ...(init as object), dispatcher } as Parameters<
        typeof undiciFetch
      >[1]) as unknown as Promise<Response>) as FetchLike;
    cache.set(key, cached);
  }
  return cached;
}

/** An msal-node network client (`system.networkClient`) on top of a fetch. */
export function msalNetworkClient(fetchImpl: FetchLike): INetworkModule {
  async function send<T>(
    url: string,
    method: "GET" | "POST",
    options?: NetworkRequestOptions,
    timeout?: number,
  ) {
    const response = await fetchImpl(url, {
      method,
      headers: options?.headers,
      body: method === "POST" ? (options?.body ?? "") : undefined,
      signal: timeout ? AbortSignal.timeout(timeout) : undefined,
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return {
      headers,
      body: (await response.json()) as T,
      status: response.status,
    } satisfies NetworkResponse<T>;
  }
  return {
    sendGetRequestAsync: (url, options, timeout) => send(url, "GET", options, timeout),
    sendPostRequestAsync: (url, options) => send(url, "POST", options),
  };
}
