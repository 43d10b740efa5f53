import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./helpers/harness.js";
import { connectWithSignIn, TEST_REDIRECT_URI, TestOAuthClient } from "./helpers/oauth-client.js";
import { pkcePair, register, signInForCode, token } from "./helpers/oauth-requests.js";

/**
 * The proxy's own refresh tokens: Entra's stay sealed in the proxy's store (Entra, like the dev
 * tenant, keeps a used refresh token valid, so it cannot spend the proxy's for it); the client's
 * rotate on every use, expire, are bound to their client and resource, and a reused one — or a
 * replayed code — revokes everything that descends from the sign-in.
 */
describe("the proxy's refresh tokens", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** A DCR client signed in (its consent given), with its first tokens. */
  async function signedIn() {
    const provider = new TestOAuthClient(h.newBrowser());
    await (await connectWithSignIn(h.url, provider)).close();
    const clientId = provider.information!.client_id;
    const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
      token(h, { grant_type: "refresh_token", client_id: clientId, refresh_token: refreshToken, ...extra });
    return { provider, clientId, first: provider.savedTokens!, refresh };
  }

  it("rotates on every use; Entra's refresh token never reaches the client nor the disk in the clear", async () => {
    const { provider, first, refresh } = await signedIn();
    expect(first.refresh_token).toMatch(/^mcp-rt2\.[\w-]{22}\.0\.[\w-]{43}$/);
    expect(await auth(provider, { serverUrl: h.url })).toBe("AUTHORIZED");
    const second = provider.savedTokens!;
    expect(second.refresh_token).toMatch(/^mcp-rt2\.[\w-]{22}\.1\./);
    const client = await h.connect(second.access_token, "2026-07-28");
    expect((await client.callTool({ name: "server_time" })).isError).toBeFalsy();
    const third = await refresh(second.refresh_token!);
    expect(third.status).toBe(200);
    expect(third.body.refresh_token).toMatch(/^mcp-rt2\.[\w-]{22}\.2\./);

    // What the proxy keeps: one file per sign-in, Entra's token sealed (the dev tenant's start "1.dev.").
    const dir = join(h.config.proxy.stateDir, "refresh-tokens");
    const files = await readdir(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(await readFile(join(dir, file), "utf8")).not.toContain("1.dev.");
    // Entra does not take the proxy's token either.
    const atEntra = await h.browserFetch(h.tenant.urls.token, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        client_id: h.registration.apiAppId,
        client_secret: h.registration.env.ENTRA_CLIENT_SECRET!,
        refresh_token: third.body.refresh_token!,
      }),
    });
    expect(atEntra.status).toBe(400);
  });

  it("refuses a reused token and revokes its whole family, the newest token included", async () => {
    const { first, refresh } = await signedIn();
    const second = await refresh(first.refresh_token!);
    expect(second.status).toBe(200);
    // Someone presents the first again (its thief, or the client after its thief): both are cut off.
    const reused = await refresh(first.refresh_token!);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe("invalid_grant");
    expect(reused.body.error_description).toMatch(/already used/);
    const newest = await refresh(second.body.refresh_token!);
    expect(newest.body.error).toBe("invalid_grant");
    expect(h.logs.join("\n")).toContain("refresh token reused");
  });

  it("refuses one that is tampered with, another client's, for another resource, or expired", async () => {
    const { first, refresh } = await signedIn();
    const tampered = `${first.refresh_token!.slice(0, -4)}AAAA`;
    expect((await refresh(tampered)).body.error).toBe("invalid_grant");
    const forgedGeneration = first.refresh_token!.replace(/\.0\./, ".7.");
    expect((await refresh(forgedGeneration)).body.error).toBe("invalid_grant");
    const { body: other } = await register(h);
    const stolen = await token(h, {
      grant_type: "refresh_token",
      client_id: other.client_id!,
      refresh_token: first.refresh_token!,
    });
    expect(stolen.body.error).toBe("invalid_grant");
    const elsewhere = await refresh(first.refresh_token!, { resource: "https://other.example/mcp" });
    expect(elsewhere.body.error).toBe("invalid_target");
    // None of those spent it (nor revoked its family): it still works, once.
    const next = await refresh(first.refresh_token!, { resource: h.url });
    expect(next.status).toBe(200);

    // Unused for 30 days: expired.
    h.advanceClock(30 * 24 * 3600_000 + 1_000);
    try {
      const expired = await refresh(next.body.refresh_token!);
      expect(expired.body).toMatchObject({
        error: "invalid_grant",
        error_description: expect.stringMatching(/expired/),
      });
    } finally {
      h.advanceClock(-(30 * 24 * 3600_000 + 1_000));
    }
  });

  it("a replayed authorization code is refused and revokes the refresh token issued from it", async () => {
    const { body: client } = await register(h);
    const pkce = pkcePair();
    const code = await signInForCode(h, client.client_id!, pkce.challenge);
    const redeem = () =>
      token(h, {
        grant_type: "authorization_code",
        client_id: client.client_id!,
        code,
        redirect_uri: TEST_REDIRECT_URI,
        code_verifier: pkce.verifier,
      });
    const first = await redeem();
    expect(first.status).toBe(200);
    const replay = await redeem();
    expect(replay.body).toMatchObject({
      error: "invalid_grant",
      error_description: expect.stringMatching(/revoked/),
    });
    const revoked = await token(h, {
      grant_type: "refresh_token",
      client_id: client.client_id!,
      refresh_token: first.body.refresh_token!,
    });
    expect(revoked.body.error).toBe("invalid_grant");
    expect(h.logs.join("\n")).toContain("authorization code replayed");
  });
});
