import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import type { DevTenant } from "../../../src/tenant/index.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { SignInDriver } from "../../helpers/sign-in-driver.js";
import {
  aadstsCode,
  addApi,
  addClient,
  authorizeUrl,
  pkce,
  postForm,
  testUser,
} from "../../helpers/sign-in-fixtures.js";

interface CodeOptions {
  clientId: string;
  redirectUri: string;
  scope: string;
  method?: "S256" | "plain" | "none";
  nonce?: string;
}

/** Signs alex in through the pages and returns a fresh code with its PKCE verifier. */
async function code(t: DevTenant, options: CodeOptions) {
  const challenge = options.method === "none" ? undefined : pkce(options.method);
  const driver = new SignInDriver({
    caPem: t.caPem,
    user: testUser(t, "alex").userPrincipalName,
    deliver: false,
  });
  const outcome = await driver.authorize(
    authorizeUrl(t, {
      client_id: options.clientId,
      redirect_uri: options.redirectUri,
      scope: options.scope,
      code_challenge: challenge?.challenge,
      code_challenge_method: challenge?.method,
      nonce: options.nonce,
      client_info: "1",
    }),
  );
  if (outcome.kind !== "redirect" || !outcome.params.code) throw new Error("no code");
  return { code: outcome.params.code, verifier: challenge?.verifier };
}

function redeem(t: DevTenant, fields: Record<string, string | undefined>) {
  return postForm(t, t.urls.token, { grant_type: "authorization_code", client_info: "1", ...fields });
}

function refreshGrant(t: DevTenant, clientId: string, refreshToken: unknown, scope: string) {
  return postForm(t, t.urls.token, {
    grant_type: "refresh_token",
    client_id: clientId,
    refresh_token: String(refreshToken),
    scope,
  });
}

describe("authorization_code and refresh_token grants", () => {
  const tenant = useDevTenant();

  it("issues id_token (nonce only when sent), client_info and a refresh token; codes are bound to PKCE", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicClient: ["http://localhost"] });
    const scope = `${api.scope} openid profile offline_access`;
    const base = { clientId: client.app.appId, redirectUri: "http://localhost", scope };

    const withNonce = await code(t, { ...base, nonce: "n-1" });
    const first = await redeem(t, {
      client_id: client.app.appId,
      code: withNonce.code,
      redirect_uri: "http://localhost",
      code_verifier: withNonce.verifier,
    });
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(decodeJwt(String(first.body.id_token)).nonce).toBe("n-1");
    expect(JSON.parse(Buffer.from(String(first.body.client_info), "base64url").toString())).toEqual({
      uid: testUser(t, "alex").id,
      utid: t.tenantId,
    });
    expect(first.body.scope).toBe(`${api.scope} openid profile offline_access`);
    expect(first.body.refresh_token).toBeTruthy();
    expect(Number(first.body.expires_in)).toBeGreaterThanOrEqual(3600);

    const plain = await code(t, { ...base, method: "plain" });
    const noNonce = await redeem(t, {
      client_id: client.app.appId,
      code: plain.code,
      redirect_uri: "http://localhost",
      code_verifier: plain.verifier,
    });
    expect(noNonce.status).toBe(200);
    expect(decodeJwt(String(noNonce.body.id_token)).nonce).toBeUndefined();

    const wrongVerifier = await code(t, base);
    const mismatch = await redeem(t, {
      client_id: client.app.appId,
      code: wrongVerifier.code,
      redirect_uri: "http://localhost",
      code_verifier: pkce().verifier,
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error).toBe("invalid_grant");
    expect(aadstsCode(mismatch.body)).toBe(50148);
    const missingVerifier = await code(t, base);
    const missing = await redeem(t, {
      client_id: client.app.appId,
      code: missingVerifier.code,
      redirect_uri: "http://localhost",
    });
    expect(aadstsCode(missing.body)).toBe(50148);
  });

  it("a second redemption fails with 54005 and revokes the refresh tokens of the first", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicClient: ["http://localhost"] });
    const scope = `${api.scope} openid offline_access`;
    const { code: value, verifier } = await code(t, {
      clientId: client.app.appId,
      redirectUri: "http://localhost",
      scope,
    });
    const fields = {
      client_id: client.app.appId,
      code: value,
      redirect_uri: "http://localhost",
      code_verifier: verifier,
    };
    const first = await redeem(t, fields);
    expect(first.status).toBe(200);
    // The first refresh token is used once; its successor belongs to the same sign-in.
    const refresh = (refreshToken: unknown) => refreshGrant(t, client.app.appId, refreshToken, scope);
    const rotated = await refresh(first.body.refresh_token);
    expect(rotated.status).toBe(200);

    const replay = await redeem(t, fields);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe("invalid_grant");
    expect(aadstsCode(replay.body)).toBe(54005);
    for (const token of [first.body.refresh_token, rotated.body.refresh_token]) {
      const revoked = await refresh(token);
      expect(revoked.status).toBe(400);
      expect(revoked.body).toMatchObject({ error: "invalid_grant", suberror: "bad_token" });
      expect(aadstsCode(revoked.body)).toBe(70000);
    }
  });

  it("keeps a used refresh token valid, as Entra does: each use returns a new one, the old one still works", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicClient: ["http://localhost"] });
    const scope = `${api.scope} offline_access`;
    const signedIn = await code(t, { clientId: client.app.appId, redirectUri: "http://localhost", scope });
    const first = await redeem(t, {
      client_id: client.app.appId,
      code: signedIn.code,
      redirect_uri: "http://localhost",
      code_verifier: signedIn.verifier,
    });
    const refresh = (refreshToken: unknown) => refreshGrant(t, client.app.appId, refreshToken, scope);
    const second = await refresh(first.body.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    // Used, and used again: Entra does not revoke refresh tokens when they are redeemed.
    const again = await refresh(first.body.refresh_token);
    expect(again.status).toBe(200);
    expect(decodeJwt(String(again.body.access_token)).oid).toBe(testUser(t, "alex").id);
    expect((await refresh(second.body.refresh_token)).status).toBe(200);
  });

  it("binds a code to its redirect URI (500112) and its client; web redirect URIs need the secret (7000218)", async () => {
    const t = tenant();
    const api = await addApi(t);
    const web = await addClient(t, { web: ["https://app.contoso.test/cb"], secret: true });
    const other = await addClient(t, { publicClient: ["http://localhost"] });
    const scope = `${api.scope} offline_access`;
    const fresh = () =>
      code(t, { clientId: web.app.appId, redirectUri: "https://app.contoso.test/cb", scope });

    const a = await fresh();
    const noSecret = await redeem(t, {
      client_id: web.app.appId,
      code: a.code,
      redirect_uri: "https://app.contoso.test/cb",
      code_verifier: a.verifier,
    });
    expect(noSecret.status).toBe(401);
    expect(noSecret.body.error).toBe("invalid_client");
    expect(aadstsCode(noSecret.body)).toBe(7000218);

    const b = await fresh();
    const otherRedirect = await redeem(t, {
      client_id: web.app.appId,
      client_secret: web.secret,
      code: b.code,
      redirect_uri: "https://app.contoso.test/other",
      code_verifier: b.verifier,
    });
    expect(aadstsCode(otherRedirect.body)).toBe(500112);

    const c = await fresh();
    const otherClient = await redeem(t, {
      client_id: other.app.appId,
      code: c.code,
      redirect_uri: "https://app.contoso.test/cb",
      code_verifier: c.verifier,
    });
    expect(otherClient.body.error).toBe("invalid_grant");
    const wrongSecret = await redeem(t, {
      client_id: web.app.appId,
      client_secret: "not-the-secret",
      code: c.code,
      redirect_uri: "https://app.contoso.test/cb",
      code_verifier: c.verifier,
    });
    expect(aadstsCode(wrongSecret.body)).toBe(7000215);
    const good = await redeem(t, {
      client_id: web.app.appId,
      client_secret: web.secret,
      code: c.code,
      redirect_uri: "https://app.contoso.test/cb",
      code_verifier: c.verifier,
    });
    expect(good.status).toBe(200);
    expect(decodeJwt(String(good.body.access_token)).azpacr).toBe("1");

    // A refresh token issued to a confidential client needs the secret again.
    const refreshWithout = await postForm(t, t.urls.token, {
      grant_type: "refresh_token",
      client_id: web.app.appId,
      refresh_token: String(good.body.refresh_token),
      scope,
    });
    expect(aadstsCode(refreshWithout.body)).toBe(7000218);
    const refreshWith = await postForm(t, t.urls.token, {
      grant_type: "refresh_token",
      client_id: web.app.appId,
      client_secret: web.secret,
      refresh_token: String(good.body.refresh_token),
      scope,
    });
    expect(refreshWith.status).toBe(200);
  });

  it("expires codes after 10 minutes (70008) and refresh tokens after their lifetime (700082)", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicClient: ["http://localhost"] });
    const scope = `${api.scope} offline_access`;
    const old = await code(t, { clientId: client.app.appId, redirectUri: "http://localhost", scope });
    const fresh = await code(t, { clientId: client.app.appId, redirectUri: "http://localhost", scope });
    const tokens = await redeem(t, {
      client_id: client.app.appId,
      code: fresh.code,
      redirect_uri: "http://localhost",
      code_verifier: fresh.verifier,
    });
    expect(tokens.status).toBe(200);

    t.clock.advance(601_000);
    const late = await redeem(t, {
      client_id: client.app.appId,
      code: old.code,
      redirect_uri: "http://localhost",
      code_verifier: old.verifier,
    });
    expect(late.status).toBe(400);
    expect(late.body.error).toBe("invalid_grant");
    expect(aadstsCode(late.body)).toBe(70008);

    t.clock.advance(90 * 24 * 3600 * 1000);
    const expired = await postForm(t, t.urls.token, {
      grant_type: "refresh_token",
      client_id: client.app.appId,
      refresh_token: String(tokens.body.refresh_token),
      scope,
    });
    expect(expired.status).toBe(400);
    expect(expired.body).toMatchObject({ error: "invalid_grant", suberror: "bad_token" });
    expect(aadstsCode(expired.body)).toBe(700082);
    expect(String(expired.body.error_description)).toMatch(
      /expired due to inactivity.*inactive for 90\.00:00:00/,
    );
  });
});
