import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnvFile } from "../../../src/core/env-file.js";
import { VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import { type InitResult, runInit } from "../../../src/scaffold/run-init.js";
import { captureUi } from "../../helpers/capture-ui.js";
import { devTarget } from "../../helpers/dev-target.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { childEnv, freePort, run, type SpawnedServer, spawnServer } from "../../helpers/generated-project.js";

/**
 * `init --template remote` with registration and installation (once: its `npm install` gets mcp-entra
 * as packed for npm, see test/setup/packed-package.ts), then the built project runs on nothing but the
 * .env that init wrote: health, metadata, and a tool call through on-behalf-of.
 */
describe("init --template remote, registered and installed", () => {
  const tenant = useDevTenant();
  let work: string;
  let project: string;
  let port: number;
  let result: InitResult;
  let output: () => string;

  beforeAll(async () => {
    work = await tempDir("mcp-entra-init-");
    const home = await tempDir("mcp-entra-init-home-");
    project = join(work, "init-remote");
    port = await freePort();
    const capture = captureUi({ yes: true });
    output = capture.all;
    result = await runInit(
      { dir: "init-remote", template: "remote", port: String(port), register: true, install: true },
      {
        ui: capture.ui,
        target: async () => devTarget(tenant(), home),
        cwd: work,
        env: childEnv({ npm_config_prefer_offline: "true" }),
      },
    );
    await rm(home, { recursive: true, force: true });
  }, 300_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("reports what it did, and never the secret", async () => {
    const env = await readEnvFile(join(project, ".env"));
    expect(result.installed).toBe(true);
    expect(existsSync(join(project, "node_modules", "mcp-entra", "package.json"))).toBe(true);
    expect(result.files).toEqual(expect.arrayContaining([".env", "mcp-entra.json", "package.json"]));
    expect(result.registration?.outcome.app.appId).toBe(env.ENTRA_CLIENT_ID);
    expect(output()).toContain("Installed dependencies");
    expect(output()).not.toContain(env.ENTRA_CLIENT_SECRET);
    expect(result.nextSteps.map((step) => step.command)).not.toContain("npm install");
  });

  describe("the built project, configured only by its .env", () => {
    let server: SpawnedServer;
    let env: Record<string, string>;
    const origin = () => `http://127.0.0.1:${port}`;

    beforeAll(async () => {
      await run("npm", ["run", "build"], { cwd: project });
      env = await readEnvFile(join(project, ".env"));
      // No variables of its own: started with .env as its environment (as VS Code's envFile or
      // `docker run --env-file` do), which gives it NODE_EXTRA_CA_CERTS before Node starts.
      server = await spawnServer(project, env);
    }, 150_000);
    afterAll(async () => {
      await server?.stop("SIGKILL");
    });

    it("listens on the port init chose and answers /healthz", async () => {
      expect(env.PORT).toBe(String(port));
      expect(env.MCP_SERVER_URL).toBe(`http://localhost:${port}/mcp`);
      expect((await fetch(`${origin()}/healthz`)).status).toBe(200);
    });

    it("publishes metadata naming the dev tenant and the registered scope", async () => {
      const response = await fetch(`${origin()}/.well-known/oauth-protected-resource/mcp`);
      expect(await response.json()).toMatchObject({
        resource: env.MCP_SERVER_URL,
        authorization_servers: [`${tenant().url}/${tenant().tenantId}/v2.0`],
        scopes_supported: [env.MCP_SCOPE],
      });
    });

    it("accepts a token for the registered API and calls Graph on behalf of the user (secret and CA from .env)", async () => {
      const upn = `adele@${tenant().domain}`;
      const { access_token } = await tenant().issueToken({
        clientId: VSCODE_CLIENT_ID,
        scope: env.MCP_SCOPE!,
        user: upn,
      });
      const client = new Client({ name: "init-test", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(env.MCP_SERVER_URL!), {
          requestInit: { headers: { Authorization: `Bearer ${access_token}` } },
        }),
      );
      const whoami = await client.callTool({ name: "whoami" });
      await client.close();
      const text = (whoami.content as { text: string }[])[0]?.text ?? "";
      expect(whoami.isError, text).toBeFalsy();
      expect(JSON.parse(text)).toMatchObject({ userPrincipalName: upn });
      expect(server.logs.join("\n")).not.toContain(access_token.split(".")[2]);
    });
  });
});
