import { describe, expect, it } from "vitest";
import { type Caller, VerifiedTokens } from "../src/auth/token-validator.js";

function caller(token: string, expiresInSeconds: number): Caller {
  return {
    kind: "user",
    objectId: "o",
    tenantId: "t",
    clientId: "c",
    scopes: ["user_impersonation"],
    roles: [],
    expiresAt: Math.floor(Date.now() / 1000) + expiresInSeconds,
    token,
  };
}

describe("verified tokens", () => {
  it("returns a validated token's caller by the exact token text only", () => {
    const cache = new VerifiedTokens();
    cache.remember(caller("a.b.c", 3600));
    expect(cache.get("a.b.c")?.objectId).toBe("o");
    expect(cache.get("a.b.c ")).toBeUndefined();
    expect(cache.get("a.b.d")).toBeUndefined();
  });

  it("forgets a token once it has expired", () => {
    const cache = new VerifiedTokens();
    cache.remember(caller("old", -1));
    expect(cache.get("old")).toBeUndefined();
  });

  it("keeps at most its bound, dropping the oldest", () => {
    const cache = new VerifiedTokens(2);
    for (const token of ["one", "two", "three"]) cache.remember(caller(token, 3600));
    expect(cache.get("one")).toBeUndefined();
    expect(cache.get("two")).toBeDefined();
    expect(cache.get("three")).toBeDefined();
  });
});
