import { createRequire } from "node:module";
import { createSecureContext, rootCertificates } from "node:tls";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import type { Agent } from "undici";

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
    const Agent = undiciAgent();
    // One secure context per dispatcher for every connection: given only `ca`, each new connection
    // would parse the ~150 system roots again. Loopback hosts (the dev tenant, a local server) get a
    // context with the extra CAs alone: no public CA certifies localhost, and parsing the roots costs
    // 20 ms of CPU, a tenth of a test-flow run against a local server. (A redirect from there to a
    // public host fails verification rather than succeeding with less trust.)
    const loopback = new Agent({ connect: { secureContext: createSecureContext({ ca: extraCaPems }) } });
    let anyHost: Agent | undefined;
    const dispatcherFor = (input: string | URL): Agent => {
      if (isLoopbackHost(new URL(input).hostname)) return loopback;
      anyHost ??= new Agent({
        connect: { secureContext: createSecureContext({ ca: [...rootCertificates, ...extraCaPems] }) },
      });
      return anyHost;
    };
    cached = (input, init) =>
      globalThis.fetch(input, { ...init, dispatcher: dispatcherFor(input) } as RequestInit);
    cache.set(key, cached);
  }
  return cached;
}

/** localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * undici's connection pool alone, for Node's global fetch to dispatch through: a third of the time
 * undici's main entry takes to load, which brings its own fetch and everything else (the package has
 * no `exports` map, so the module is reachable; the main entry remains the fallback).
 */
function undiciAgent(): typeof Agent {
  const require = createRequire(import.meta.url);
  try {
    return require("undici/lib/dispatcher/agent.js") as typeof Agent;
  } catch {
    return (require("undici") as typeof import("undici")).Agent;
  }
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
