import { type ICachePlugin, type INetworkModule, LogLevel, PublicClientApplication } from "@azure/msal-node";
import { type Config, entraEndpoints } from "../config.js";
import type { Logger } from "../logger.js";
import type { Fetch } from "../outbound-fetch.js";

/** Microsoft Graph's delegated permission the tools use, requested fully qualified. */
export const GRAPH_SCOPES = ["https://graph.microsoft.com/User.Read"];

/**
 * This server as an MSAL public client of its tenant: no secret (it runs on the user's machine, where
 * none could be kept), its app registration allows public client flows (device code) and has the
 * loopback redirect URI http://localhost (system browser). Tokens persist in `cachePlugin`.
 */
export function createPublicClient(
  config: Config,
  fetch: Fetch,
  cachePlugin: ICachePlugin,
  log: Logger,
): PublicClientApplication {
  const authority = entraEndpoints(config).authority;
  return new PublicClientApplication({
    auth: {
      clientId: config.clientId,
      authority,
      // The authority is trusted as configured: no instance discovery call to the public cloud.
      knownAuthorities: [new URL(authority).host],
    },
    cache: { cachePlugin },
    system: {
      networkClient: networkClient(fetch),
      // MSAL's own warnings go to our log (stderr); never personal data, never stdout.
      loggerOptions: {
        logLevel: LogLevel.Warning,
        piiLoggingEnabled: false,
        loggerCallback: (level, message, containsPii) => {
          if (containsPii) return;
          if (level === LogLevel.Error) log.error("msal", { detail: message });
          else if (level === LogLevel.Warning) log.warn("msal", { detail: message });
        },
      },
    },
  });
}

/** MSAL's HTTP client on top of our fetch, so MSAL trusts exactly what the rest of the server trusts. */
function networkClient(fetch: Fetch): INetworkModule {
  async function send<T>(
    url: string,
    method: "GET" | "POST",
    options?: { headers?: Record<string, string>; body?: string },
    timeout?: number,
  ) {
    const response = await fetch(url, {
      method,
      headers: options?.headers,
      body: method === "POST" ? (options?.body ?? "") : undefined,
      signal: AbortSignal.timeout(timeout ?? 10_000),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { headers, body: (await response.json()) as T, status: response.status };
  }
  return {
    sendGetRequestAsync: (url, options, timeout) => send(url, "GET", options, timeout),
    sendPostRequestAsync: (url, options) => send(url, "POST", options),
  };
}
