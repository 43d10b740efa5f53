import { readFile } from "node:fs/promises";
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { trustedFetch } from "../../../src/entra/trust.js";
import { AZURE_CLI_CLIENT_ID } from "../../../src/entra/well-known.js";
import type { TenantState } from "../../../src/tenant/index.js";
import { TenantAdminClient } from "../../../src/tenant/server/admin-client.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";

const HOUR = 3600 * 1000;

describe("the admin API: test users", () => {
  const tenant = useDevTenant();
  const admin = () => TenantAdminClient.for(tenant().url, tenant().adminToken, tenant().caPem);

  it("adds 50 users concurrently; all are served and on disk", async () => {
    const aliases = Array.from({ length: 50 }, (_, index) => `load-${index}`);
    const added = await Promise.all(
      aliases.map((alias) => admin().addUser({ alias, password: `pw-${alias}` })),
    );
    expect(new Set(added.map((user) => user.id)).size).toBe(50);
    const listed = (await admin().listUsers()).map((user) => user.userPrincipalName);
    for (const alias of aliases) expect(listed).toContain(`${alias}@${tenant().domain}`);
    await tenant().store.persist();
    const onDisk = JSON.parse(await readFile(tenant().store.file, "utf8")) as TenantState;
    expect(onDisk.users.filter((user) => user.userPrincipalName.startsWith("load-"))).toHaveLength(50);

    await Promise.all(aliases.map((alias) => admin().removeUser(`${alias}@${tenant().domain}`)));
    expect((await admin().listUsers()).some((user) => user.userPrincipalName.startsWith("load-"))).toBe(
      false,
    );
  });

  it("refuses a taken alias, an invalid one, and an unknown user, as usage errors", async () => {
    await expect(admin().addUser({ alias: "alex" })).rejects.toMatchObject({
      code: "USER_EXISTS",
      exitCode: 2,
    });
    await expect(admin().addUser({ alias: "no spaces" })).rejects.toMatchObject({
      code: "INVALID_USER",
      exitCode: 2,
    });
    await expect(admin().removeUser("nobody@example.com")).rejects.toMatchObject({
      code: "UNKNOWN_USER",
      exitCode: 2,
    });
  });

  it("removing a user removes their consents, refresh tokens and auto-approve", async () => {
    const user = await admin().addUser({ alias: "leaving" });
    await tenant().store.commit((state) => {
      state.oauth2PermissionGrants.push({
        id: "grant-of-leaving",
        clientId: "client",
        consentType: "Principal",
        principalId: user.id,
        resourceId: "resource",
        scope: "User.Read",
      });
      state.refreshTokens["hash-of-leaving"] = {
        clientId: AZURE_CLI_CLIENT_ID,
        userId: user.id,
        scopes: [],
        issuedAt: 0,
        expiresAt: 0,
      };
    });
    expect(await admin().setAutoApprove("leaving")).toBe(user.userPrincipalName);
    await admin().removeUser(`leaving@${tenant().domain}`);
    const state = tenant().store.state;
    expect(state.users.some((candidate) => candidate.id === user.id)).toBe(false);
    expect(state.userPasswordHashes[user.id]).toBeUndefined();
    expect(state.oauth2PermissionGrants.some((grant) => grant.principalId === user.id)).toBe(false);
    expect(Object.values(state.refreshTokens).some((record) => record.userId === user.id)).toBe(false);
    expect((await admin().status()).autoApprove).toBeNull();
  });

  it("needs the admin token", async () => {
    const stranger = new TenantAdminClient(tenant().url, "not-the-token", trustedFetch([tenant().caPem]));
    await expect(stranger.listUsers()).rejects.toMatchObject({ code: "UNAUTHORIZED", exitCode: 1 });
  });
});

describe("the admin API: signing key rotation", () => {
  const tenant = useDevTenant();
  const admin = () => TenantAdminClient.for(tenant().url, tenant().adminToken, tenant().caPem);
  const keySet = async () =>
    (await (await trustedFetch([tenant().caPem])(tenant().urls.jwks)).json()) as JSONWebKeySet;
  const token = async () =>
    (
      await tenant().issueToken({
        clientId: AZURE_CLI_CLIENT_ID,
        scope: "https://graph.microsoft.com/User.Read",
        user: `adele@${tenant().domain}`,
      })
    ).access_token;

  it("signs with the new key and publishes the old one for the grace period, then drops it", async () => {
    const oldToken = await token();
    const oldKid = decodeProtectedHeader(oldToken).kid;
    const rotated = await admin().rotateKeys();
    expect(rotated.active).not.toBe(oldKid);
    const old = rotated.keys.find((key) => key.kid === oldKid)!;
    expect(old.active).toBe(false);
    expect(Date.parse(old.publishedUntil!) - tenant().clock.now()).toBeGreaterThan(23.9 * HOUR);

    const newToken = await token();
    expect(decodeProtectedHeader(newToken).kid).toBe(rotated.active);
    const during = createLocalJWKSet(await keySet());
    await jwtVerify(oldToken, during);
    await jwtVerify(newToken, during);

    tenant().clock.advance(24 * HOUR + 60_000);
    const after = await keySet();
    expect(after.keys.map((key) => key.kid)).toEqual([rotated.active]);
    await expect(jwtVerify(oldToken, createLocalJWKSet(after))).rejects.toMatchObject({
      code: "ERR_JWKS_NO_MATCHING_KEY",
    });

    // The next rotation forgets keys whose grace period is over.
    const next = await admin().rotateKeys(1);
    expect(next.keys.map((key) => key.kid)).toEqual([next.active, rotated.active]);
    await expect(admin().rotateKeys(-1)).rejects.toMatchObject({ code: "INVALID_GRACE", exitCode: 2 });
  });
});
