import { InteractionRequiredAuthError } from "@azure/msal-node";
import { SignInRequiredError } from "../../core/errors.js";
import {
  entraGraphBaseUrl,
  GRAPH_DEFAULT_SCOPE,
  REGISTER_GRAPH_SCOPES,
  reuseToken,
  type TenantTarget,
} from "../tenant-target.js";
import { azureCliGraphToken } from "./azure-cli.js";
import { type AppCredential, confidentialClientApp, publicClientApp } from "./msal-apps.js";
import type { LoginSession } from "./user-settings.js";

/** The environment variable app-only sign-ins read their client secret from (never stored). */
export const CLIENT_SECRET_ENV = "MCP_ENTRA_CLIENT_SECRET";

/** A real Entra tenant as a target, signed in the way `mcp-entra login` remembered. */
export function entraTarget(
  session: LoginSession,
  home: string,
  env: NodeJS.ProcessEnv = process.env,
): TenantTarget {
  return {
    kind: "entra",
    tenantId: session.tenantId,
    domain: session.domain,
    // The host the session signed in with (Entra's, or MCP_ENTRA_AUTHORITY_HOST's at login time).
    authorityHost: new URL(session.authority).origin,
    authority: session.authority,
    graphBaseUrl: entraGraphBaseUrl(env),
    caPems: [],
    label: `tenant ${session.domain ?? session.tenantId}`,
    graphToken: reuseToken(() => sessionGraphToken(session, home, env)),
  };
}

function signInAgain(session: LoginSession, reason: string): SignInRequiredError {
  return new SignInRequiredError(
    "SIGN_IN_REQUIRED",
    `${reason} for tenant ${session.domain ?? session.tenantId}.`,
    {
      suggestion: `run \`mcp-entra login --tenant ${session.domain ?? session.tenantId}\`.`,
    },
  );
}

/** A Graph token for the remembered sign-in, without any interaction. */
export async function sessionGraphToken(
  session: LoginSession,
  home: string,
  env: NodeJS.ProcessEnv,
): Promise<{ accessToken: string; expiresOn: Date | null }> {
  const target = { authority: session.authority, caPems: [] };
  switch (session.method) {
    case "azure-cli":
      return azureCliGraphToken(session.tenantId);
    case "client-credentials":
    case "federated-token-file": {
      const credential = appCredential(session, env);
      if (!credential) throw signInAgain(session, `The client secret is not in ${CLIENT_SECRET_ENV}`);
      const app = await confidentialClientApp(target, session.clientId!, credential, home);
      const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] });
      if (!result) throw signInAgain(session, "No token came back");
      return result;
    }
    default: {
      const app = publicClientApp(target, session.clientId!, home);
      const account = session.homeAccountId
        ? await app.getTokenCache().getAccountByHomeId(session.homeAccountId)
        : null;
      if (!account) throw signInAgain(session, "Nobody is signed in");
      try {
        return await app.acquireTokenSilent({ account, scopes: REGISTER_GRAPH_SCOPES });
      } catch (error) {
        if (error instanceof InteractionRequiredAuthError)
          throw signInAgain(session, "The sign-in has expired");
        throw error;
      }
    }
  }
}

export function appCredential(session: LoginSession, env: NodeJS.ProcessEnv): AppCredential | undefined {
  if (session.method === "federated-token-file" && session.federatedTokenFile) {
    return { kind: "federated-token-file", path: session.federatedTokenFile };
  }
  if (session.certificatePath) return { kind: "certificate", path: session.certificatePath };
  const secret = env[CLIENT_SECRET_ENV];
  return secret ? { kind: "secret", secret } : undefined;
}
