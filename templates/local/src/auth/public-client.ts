import { type ICachePlugin, LogLevel, PublicClientApplication } from "@azure/msal-node";
import { type Config, entraEndpoints } from "../config.js";
import type { Logger } from "../logger.js";

/** Microsoft Graph's delegated permission the tools use, requested fully qualified. */
export const GRAPH_SCOPES = ["https://graph.microsoft.com/User.Read"];

/**
 * This server as an MSAL public client of its tenant: no secret (it runs on the user's machine, where
 * none could be kept), its app registration allows public client flows (device code) and has the
 * loopback redirect URI http://localhost (system browser). Tokens persist in `cachePlugin`.
 */
export function createPublicClient(
  config: Config,
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
