import { request as httpRequest } from "node:http";
import { type CallToolResult, InsufficientScopeError } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./helpers/harness.js";
import { REVISIONS, rpcRequest } from "./helpers/revisions.js";

/** The server against a dev tenant: real tokens, real HTTP, the real MCP SDK client, both revisions. */
describe("the MCP server", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const text = (result: CallToolResult) => (result.content[0] as { text?: string } | undefined)?.text ?? "";
  const challenge = () =>
    `Bearer resource_metadata="${new URL(h.url).origin}/.well-known/oauth-protected-resource/mcp", scope="${h.registration.scope}"`;

  it("publishes Protected Resource Metadata at the path-aware and root URLs", async () => {
    const origin = new URL(h.url).origin;
    for (const path of [
      "/.well-known/oauth-protected-resource/mcp",
      "/.well-known/oauth-protected-resource",
    ]) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        resource: h.url,
        authorization_servers: [h.authorizationServer],
        scopes_supported: [h.registration.scope],
        bearer_methods_supported: ["header"],
      });
    }
  });

  describe.each(REVISIONS)("on revision %s", (revision) => {
    it("answers 401 with the spec's challenge without a token, and for expired or foreign tokens", async () => {
      const call = (headers: Record<string, string> = {}) =>
        fetch(h.url, rpcRequest(revision, "tools/call", { name: "server_time" }, headers));
      const anonymous = await call();
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toBe(challenge());

      const invalid = [
        await h.userToken(undefined, { exp: Math.floor(Date.now() / 1000) - 3600 }),
        await h.userToken(undefined, { aud: "00000000-0000-0000-0000-000000000001" }),
        await h.userToken(undefined, { tid: "00000000-0000-0000-0000-000000000002" }),
      ];
      for (const token of invalid) {
        const response = await call({ Authorization: `Bearer ${token}` });
        expect(response.status).toBe(401);
        const header = response.headers.get("www-authenticate") ?? "";
        expect(header.startsWith(`${challenge()}, error="invalid_token", error_description=`), header).toBe(
          true,
        );
      }
    });

    it("lets a signed-in user list the tools and call server_time", async () => {
      const client = await h.connect(await h.userToken(), revision);
      expect(client.getProtocolEra()).toBe(revision === "2026-07-28" ? "modern" : "legacy");
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(["server_time", "whoami", "server_status"]);
      const result = await client.callTool({ name: "server_time" });
      expect(result.isError).toBeFalsy();
      expect(Date.parse(JSON.parse(text(result)).now)).toBeGreaterThan(0);
    });

    it("lets an app holding Tools.Read call server_time, and nothing that needs more", async () => {
      const client = await h.connect(await h.appToken(), revision);
      expect((await client.callTool({ name: "server_time" })).isError).toBeFalsy();
      await expect(client.callTool({ name: "whoami" })).rejects.toBeInstanceOf(InsufficientScopeError);
      await expect(client.callTool({ name: "server_status" })).rejects.toBeInstanceOf(InsufficientScopeError);
    });

    it("answers 403 insufficient_scope to a user without Tools.Admin, and serves one with it", async () => {
      const member = await h.userToken(h.registration.users.member);
      const response = await fetch(
        h.url,
        rpcRequest(revision, "tools/call", { name: "server_status" }, { Authorization: `Bearer ${member}` }),
      );
      expect(response.status).toBe(403);
      expect(response.headers.get("www-authenticate")).toMatch(
        new RegExp(`^${challenge().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, error="insufficient_scope"`),
      );
      const admin = await h.connect(await h.userToken(h.registration.users.admin), revision);
      expect((await admin.callTool({ name: "server_status" })).isError).toBeFalsy();
    });

    it("whoami returns the signed-in user from Microsoft Graph, obtained on behalf of the user", async () => {
      const client = await h.connect(await h.userToken(h.registration.users.admin), revision);
      const result = await client.callTool({ name: "whoami" });
      expect(result.isError, text(result)).toBeFalsy();
      expect(JSON.parse(text(result))).toMatchObject({
        userPrincipalName: h.registration.users.admin,
        displayName: "Adele Vance",
      });
    });
  });

  it("refuses Host headers other than its own (DNS rebinding), and pages of other origins", async () => {
    const token = await h.userToken();
    // node:http, because fetch sets Host itself.
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const init = rpcRequest(
          "2026-07-28",
          "tools/list",
          {},
          { Authorization: `Bearer ${token}`, ...headers },
        );
        httpRequest(
          h.url,
          { method: "POST", headers: init.headers as Record<string, string> },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        )
          .on("error", reject)
          .end(init.body);
      });
    expect(await status({ Host: `attacker.example:${new URL(h.url).port}` })).toBe(403);
    expect(await status({ Origin: "https://attacker.example" })).toBe(403);
    expect(await status({ Origin: new URL(h.url).origin })).toBe(200);
    expect(await status({})).toBe(200);
  });

  it("never logs a token", async () => {
    const token = await h.userToken();
    await fetch(h.url, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    expect(h.logs.length).toBeGreaterThan(0);
    const signature = token.split(".")[2]!;
    expect(h.logs.join("\n")).not.toContain(signature);
  });
});
