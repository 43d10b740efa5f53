import { hmac, randomToken, safeEqual } from "./crypto-helpers.js";
import { OAuthError } from "./oauth-error.js";
import type { ProxyStore, RefreshFamily } from "./proxy-store.js";
import type { SealedBox } from "./sealed-box.js";

/**
 * The proxy's own refresh tokens. Entra does not revoke a refresh token when it is used, so the proxy
 * cannot lean on Entra to spend the tokens it hands out: it issues its own, one family per sign-in,
 * and rotates them on every use. A token is `mcp-rt2.<family>.<generation>.<HMAC>`: unforgeable
 * without the proxy's key, and only the newest generation of its family is valid. An older one
 * coming back means someone else holds the family (a stolen token, or its thief's successor): the
 * whole family is revoked. Entra's refresh token stays in the store, sealed; the client never sees it.
 */
export interface RefreshTokens {
  /** Starts a family with the Entra refresh token of a sign-in; undefined if it was revoked first. */
  start(
    family: Omit<RefreshFamily, "generation" | "expiresAt" | "entraRefreshToken">,
    entraRefreshToken: string,
  ): Promise<string | undefined>;
  /** Checks a token the client presents; throws `invalid_grant` (revoking its family on reuse). */
  use(token: string, clientId: string): Promise<{ family: RefreshFamily; entraRefreshToken: string }>;
  /** The next token of the family, after Entra refreshed (with Entra's newest refresh token, if it sent one). */
  rotate(family: RefreshFamily, entraRefreshToken: string | undefined): Promise<string>;
  revoke(familyId: string): Promise<void>;
}

const PREFIX = "mcp-rt2";
const SEALED_AS = "entra refresh token";
/** A token that is not used for 30 days expires; every use gives a new one with 30 more days. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600_000;
/** How long a revoked family is remembered at least: one revoked before it was created (a replayed code) never is. */
const REVOKED_MEMORY_MS = 10 * 60_000;

const refused = (description: string) => new OAuthError("invalid_grant", description);

export function newFamilyId(): string {
  return randomToken(16);
}

export function createRefreshTokens(
  store: ProxyStore,
  box: SealedBox,
  key: Buffer,
  now: () => number,
  onReuse: (family: RefreshFamily) => void,
): RefreshTokens {
  const format = (id: string, generation: number) =>
    `${PREFIX}.${id}.${generation}.${hmac(key, `${PREFIX}.${id}.${generation}`)}`;
  const revoke = (id: string) => store.revokeFamily(id, now() + REVOKED_MEMORY_MS);

  return {
    async start(fields, entraRefreshToken) {
      const family: RefreshFamily = {
        ...fields,
        generation: 0,
        expiresAt: now() + REFRESH_TOKEN_TTL_MS,
        entraRefreshToken: box.seal(SEALED_AS, entraRefreshToken),
      };
      return (await store.createFamily(family)) ? format(family.id, 0) : undefined;
    },

    async use(token, clientId) {
      const parsed = parse(token);
      if (!parsed || !safeEqual(token, format(parsed.id, parsed.generation))) {
        throw refused("The refresh token is invalid.");
      }
      const family = await store.family(parsed.id);
      if (!family || "revoked" in family)
        throw refused("The refresh token expired or was revoked: sign in again.");
      if (family.clientId !== clientId) throw refused("The refresh token is not this client's.");
      if (parsed.generation !== family.generation) {
        await revoke(family.id);
        onReuse(family);
        throw refused("The refresh token was already used: every token of this sign-in is revoked.");
      }
      if (family.expiresAt <= now()) throw refused("The refresh token expired: sign in again.");
      const entraRefreshToken = box.open(SEALED_AS, family.entraRefreshToken);
      if (typeof entraRefreshToken !== "string")
        throw refused("The refresh token cannot be used: sign in again.");
      return { family, entraRefreshToken };
    },

    async rotate(family, entraRefreshToken) {
      const next: RefreshFamily = {
        ...family,
        generation: family.generation + 1,
        expiresAt: now() + REFRESH_TOKEN_TTL_MS,
        entraRefreshToken: entraRefreshToken
          ? box.seal(SEALED_AS, entraRefreshToken)
          : family.entraRefreshToken,
      };
      if (!(await store.replaceFamily(next, family.generation))) {
        // The same token was used twice at once: one of the two is not its holder.
        await revoke(family.id);
        onReuse(family);
        throw refused("The refresh token was already used: every token of this sign-in is revoked.");
      }
      return format(next.id, next.generation);
    },

    revoke,
  };
}

function parse(token: string): { id: string; generation: number } | undefined {
  const match = /^mcp-rt2\.([A-Za-z0-9_-]{22})\.(0|[1-9]\d{0,8})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match ? { id: match[1]!, generation: Number(match[2]) } : undefined;
}
