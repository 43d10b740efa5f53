import { ConfidentialClientApplication, CryptoProvider } from "@azure/msal-node";
import { msalConfiguration } from "../../src/entra/msal-config.js";
import type { DevTenant } from "../../src/tenant/index.js";
import { SignInDriver } from "./sign-in-driver.js";
import { addClient, testUser } from "./sign-in-fixtures.js";

/** msal-node clients and sign-ins the Entra fidelity tests share. */

/** Microsoft Graph's User.Read (delegated). */
export const USER_READ_ID = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";

export function confidential(t: DevTenant, clientId: string, clientSecret: string) {
  return new ConfidentialClientApplication(
    msalConfiguration({ authority: t.urls.authority, caPems: [t.caPem] }, { clientId, clientSecret }),
  );
}

/** A confidential web client with a secret and a service principal (client credentials work). */
export async function webClient(t: DevTenant) {
  const redirectUri = "https://app.contoso.test/auth/callback";
  const client = await addClient(t, { web: [redirectUri], secret: true, servicePrincipal: true });
  return { ...client, redirectUri, msal: confidential(t, client.app.appId, client.secret!) };
}

/**
 * Signs a user (alex by default) in through msal's auth code flow (PKCE), redeeming the code for
 * `redeem` (default: the scopes asked); msal's result and the pages passed on the way.
 */
export async function signIn(
  t: DevTenant,
  web: Awaited<ReturnType<typeof webClient>>,
  scopes: string[],
  options: { user?: "alex" | "megan"; redeem?: string[] } = {},
) {
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const url = await web.msal.getAuthCodeUrl({
    scopes,
    redirectUri: web.redirectUri,
    codeChallenge: challenge,
    codeChallengeMethod: "S256",
  });
  const user = testUser(t, options.user ?? "alex").userPrincipalName;
  const outcome = await new SignInDriver({ caPem: t.caPem, user }).authorize(url, { deliver: false });
  if (outcome.kind !== "redirect") throw new Error(`stopped at ${outcome.step}`);
  const result = await web.msal.acquireTokenByCode({
    code: outcome.params.code!,
    scopes: options.redeem ?? scopes,
    redirectUri: web.redirectUri,
    codeVerifier: verifier,
  });
  return { ...result!, steps: outcome.steps };
}

/** The refresh token msal keeps for a confidential client (one sign-in). */
export function refreshTokenOf(msal: ConfidentialClientApplication): string {
  const cache = JSON.parse(msal.getTokenCache().serialize()) as {
    RefreshToken: Record<string, { secret: string }>;
  };
  return Object.values(cache.RefreshToken)[0]!.secret;
}
