import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageInfo } from "../src/package-info.js";
import { type Harness, type StdioServer, startHarness } from "./helpers/harness.js";
import { REVISIONS } from "./helpers/revisions.js";

/**
 * The built server over stdio against a dev tenant: real sign-in, real Graph, the real MCP SDK
 * client, on each revision (a fresh tenant and token cache each).
 */
describe.each(REVISIONS)("the MCP server over stdio, on revision %s", (revision) => {
  let h: Harness;
  const started: StdioServer[] = [];
  beforeAll(async () => {
    h = await startHarness();
    await h.autoApprove(h.registration.user.userPrincipalName);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const start = async (env?: Record<string, string>) => {
    const server = await h.start(revision, env);
    started.push(server);
    return server;
  };
  const text = (result: CallToolResult) => (result.content[0] as { text?: string } | undefined)?.text ?? "";
  /** How often the server asked the tenant for a device code (a new interactive sign-in). */
  const deviceCodeRequests = () =>
    h.tenant.requestLog({ kind: "identity" }).filter((entry) => entry.path.endsWith("/devicecode")).length;

  let first: StdioServer;

  it("connects on that revision and lists its tools", async () => {
    first = await start();
    expect(first.client.getProtocolEra()).toBe(revision === "2026-07-28" ? "modern" : "legacy");
    expect(first.client.getServerVersion()).toMatchObject({ name: packageInfo.name });
    const { tools } = await first.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(["whoami", "my_organization"]);
    expect(deviceCodeRequests()).toBe(0); // sign-in waits for the first tool that needs Graph
  });

  it("signs the user in (device code, message on stderr) on the first call; whoami answers from Graph", async () => {
    const result = await first.client.callTool({ name: "whoami" });
    expect(result.isError, text(result)).toBeFalsy();
    expect(JSON.parse(text(result))).toMatchObject(h.registration.user);
    expect(deviceCodeRequests()).toBe(1);
    expect(first.logs.join("\n")).toMatch(/\/devicelogin and enter the code/);
  });

  it("serves later calls from the token cache, without a new sign-in", async () => {
    const tokenRequests = h.tenant.requestLog({ kind: "identity" }).length;
    expect(JSON.parse(text(await first.client.callTool({ name: "whoami" })))).toMatchObject(
      h.registration.user,
    );
    const organization = await first.client.callTool({ name: "my_organization" });
    expect(JSON.parse(text(organization))).toMatchObject({
      id: h.tenant.tenantId,
      verifiedDomains: [h.tenant.domain],
    });
    expect(h.tenant.requestLog({ kind: "identity" })).toHaveLength(tokenRequests);
    expect(deviceCodeRequests()).toBe(1);
  });

  it("keeps the sign-in in a 0600 token cache file, so a restarted server needs none", async () => {
    expect((await stat(h.tokenCacheFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(h.tokenCacheFile, ".."))).mode & 0o777).toBe(0o700);
    await first.close();
    await h.autoApprove(null);
    const restarted = await start();
    const result = await restarted.client.callTool({ name: "whoami" });
    expect(JSON.parse(text(result))).toMatchObject(h.registration.user);
    expect(deviceCodeRequests()).toBe(1);
  });

  it("tells the user how to sign in while sign-in is pending, and why it failed", async () => {
    const fresh = await start({ ENTRA_TOKEN_CACHE_FILE: join(h.tokenCacheFile, "..", "other-cache.json") });
    const pending = await fresh.client.callTool({ name: "whoami" });
    expect(pending.isError).toBe(true);
    expect(text(pending)).toMatch(
      /^Sign-in required: .* open https:\/\/localhost:\d+\/devicelogin in a browser and enter the code (\S+) .*Then call whoami again\.$/,
    );
    const code = /enter the code (\S+) /.exec(text(pending))?.[1];
    expect(fresh.logs.join("\n")).toContain(code);

    // Nobody signs in: the code expires (the tenant's clock moves past its 15 minutes).
    h.tenant.clock.advance(16 * 60 * 1000);
    const failed = await fresh.client.callTool({ name: "whoami" });
    expect(failed.isError).toBe(true);
    expect(text(failed)).toBe(
      "Sign-in failed: the code expired before anyone signed in with it. Call whoami again to start a new sign-in.",
    );
    const again = await fresh.client.callTool({ name: "whoami" });
    expect(text(again)).toMatch(/^Sign-in required: .*enter the code (\S+) /);
    expect(text(again)).not.toContain(code);
  });

  it("writes nothing but JSON-RPC to stdout and never logs a token", () => {
    for (const server of started) {
      expect(server.protocolErrors).toEqual([]);
      expect(server.logs.join("\n")).not.toMatch(/eyJ[\w-]+\.eyJ/);
    }
  });
});
