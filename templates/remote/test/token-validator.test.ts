import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenValidator, InvalidTokenError } from "../src/auth/token-validator.js";
import { loadConfig } from "../src/config.js";
import { type Harness, startHarness } from "./helpers/harness.js";

/** The validator on its own, against the dev tenant's real keys. */
describe("token validation", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const validator = (extra: Record<string, string> = {}) => {
    const config = loadConfig({ ...h.registration.env, MCP_SERVER_URL: h.url, ...extra });
    return createTokenValidator(config);
  };

  it("turns a delegated token into a user caller with its scopes and roles", async () => {
    const caller = await validator()(await h.userToken(h.registration.users.admin));
    expect(caller).toMatchObject({
      kind: "user",
      username: h.registration.users.admin,
      scopes: ["user_impersonation"],
      roles: ["Tools.Admin"],
      tenantId: h.tenant.tenantId,
    });
  });

  it("turns an app-only token into an app caller with its roles", async () => {
    const caller = await validator()(await h.appToken());
    expect(caller).toMatchObject({
      kind: "app",
      clientId: h.registration.ciClientId,
      scopes: [],
      roles: ["Tools.Read"],
    });
  });

  it("refuses an ID token, though it has this API's audience, issuer and keys", async () => {
    const response = await h.tenant.issueToken({
      clientId: h.registration.apiAppId,
      scope: `openid ${h.registration.scope}`,
      user: h.registration.users.admin,
    });
    expect(response.id_token).toBeTruthy();
    await expect(validator()(response.id_token!)).rejects.toThrow(/not an access token/);
  });

  it("accepts the v1 issuer only when ENTRA_ACCEPT_V1_TOKENS=true", async () => {
    const v1 = await h.userToken(undefined, {
      iss: `https://sts.windows.net/${h.tenant.tenantId}/`,
      aud: h.registration.appIdUri,
    });
    await expect(validator()(v1)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(validator({ ENTRA_ACCEPT_V1_TOKENS: "true" })(v1)).resolves.toMatchObject({ kind: "user" });
  });

  it("tolerates a small clock skew on exp, not more", async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(validator()(await h.userToken(undefined, { exp: now - 30 }))).resolves.toBeDefined();
    await expect(validator()(await h.userToken(undefined, { exp: now - 120 }))).rejects.toThrow(/expired/);
  });

  it("accepts one spelling of a token, and claims only in the types Entra gives them", async () => {
    const token = await h.userToken();
    const [header, payload, signature = ""] = token.split(".");
    // The last character of an RS256 signature carries 2 bits; flipping an unused one decodes the same.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const twin = signature.slice(0, -1) + alphabet[alphabet.indexOf(signature.slice(-1)) ^ 1];
    expect(Buffer.from(twin, "base64url")).toEqual(Buffer.from(signature, "base64url"));
    for (const respelled of [
      `${header}.${payload}.${twin}`,
      `${token}==`,
      `${header}.${payload}.${signature.slice(0, 40)}\n${signature.slice(40)}`,
    ]) {
      await expect(validator()(respelled)).rejects.toThrow(/malformed/);
    }
    const tid = [h.tenant.tenantId];
    await expect(validator()(await h.userToken(undefined, { tid }))).rejects.toThrow(/invalid tid claim/);
    const scp = ["user_impersonation"];
    await expect(validator()(await h.userToken(undefined, { scp }))).rejects.toThrow(/invalid scp claim/);
    const roles = "Tools.Read";
    await expect(validator()(await h.userToken(undefined, { roles }))).rejects.toThrow(/invalid roles claim/);
  });
});
