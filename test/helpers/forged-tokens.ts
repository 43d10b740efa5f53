import { generateKeyPairSync, randomUUID } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, type JWTPayload, SignJWT } from "jose";
import type { DevTenant } from "../../src/tenant/index.js";

/** What the forgeries start from: the tenant, a way to get a real user token, the API. */
export interface ForgeryContext {
  tenant: () => DevTenant;
  userToken: (upn?: string, claims?: JWTPayload) => Promise<string>;
  /** A user without Tools.Admin (the tampered token gives itself the role). */
  member: () => string;
  /** A user who signs in (the ID token is theirs). */
  admin: () => string;
  /** The API's client id (an ID token for it has the right audience). */
  apiClientId: () => string;
  scope: () => string;
  jwks: () => Promise<{ keys: { kid: string }[] }>;
}

/**
 * Tokens a protected MCP server must refuse with 401 invalid_token, each named for `it.each`: bad
 * form, bad or missing signatures, other issuers, audiences and tenants, wrong times, an ID token,
 * a tampered payload.
 */
export function forgedTokens(ctx: ForgeryContext): [string, () => Promise<string>][] {
  const { tenant, userToken } = ctx;
  const signWith = async (
    payload: JWTPayload,
    header: Record<string, unknown>,
    key: Parameters<SignJWT["sign"]>[0],
  ) => new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key);
  const now = () => tenant().clock.nowSeconds();
  return [
    ["a malformed token", async () => "not-a-jwt"],
    [
      "an unsigned token (alg none)",
      async () => {
        const [header, payload] = (await userToken()).split(".");
        const none = Buffer.from(
          JSON.stringify({ ...JSON.parse(Buffer.from(header!, "base64url").toString()), alg: "none" }),
        );
        return `${none.toString("base64url")}.${payload}.`;
      },
    ],
    [
      "an HS256 token signed with the tenant's public key as the secret",
      async () => {
        const token = await userToken();
        const { kid } = decodeProtectedHeader(token);
        const jwks = await ctx.jwks();
        const publicJwk = JSON.stringify(jwks.keys.find((key) => key.kid === kid));
        return signWith(
          decodeJwt(token),
          { alg: "HS256", typ: "JWT", kid },
          new TextEncoder().encode(publicJwk),
        );
      },
    ],
    [
      "a token signed by a key with an unknown kid",
      async () => {
        const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
        return signWith(
          decodeJwt(await userToken()),
          { alg: "RS256", typ: "JWT", kid: "unknown-kid" },
          privateKey,
        );
      },
    ],
    [
      "a token signed by another key under the tenant's kid",
      async () => {
        const token = await userToken();
        const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
        return signWith(
          decodeJwt(token),
          { alg: "RS256", typ: "JWT", kid: decodeProtectedHeader(token).kid },
          privateKey,
        );
      },
    ],
    [
      "a token from another issuer",
      () => userToken(undefined, { iss: `https://login.microsoftonline.com/${tenant().tenantId}/v2.0` }),
    ],
    [
      "a v1 token (not accepted unless configured)",
      () => userToken(undefined, { iss: `https://sts.windows.net/${tenant().tenantId}/` }),
    ],
    [
      "an ID token issued to this API",
      async () =>
        (
          await tenant().issueToken({
            clientId: ctx.apiClientId(),
            scope: `openid ${ctx.scope()}`,
            user: ctx.admin(),
          })
        ).id_token!,
    ],
    ["a token for another tenant", () => userToken(undefined, { tid: randomUUID() })],
    ["a token for another audience", () => userToken(undefined, { aud: randomUUID() })],
    ["an expired token", () => userToken(undefined, { exp: now() - 600 })],
    ["a token not valid yet (nbf in the future)", () => userToken(undefined, { nbf: now() + 3600 })],
    [
      "a token whose payload was tampered with",
      async () => {
        const [header, payload, signature] = (await userToken(ctx.member())).split(".");
        const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
        const tampered = Buffer.from(JSON.stringify({ ...claims, roles: ["Tools.Admin"] })).toString(
          "base64url",
        );
        return `${header}.${tampered}.${signature}`;
      },
    ],
  ];
}
