import { readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport } from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { childEnv, renderAndInstall, run } from "../../helpers/generated-project.js";
import { REVISIONS } from "../../helpers/mcp-clients.js";
import { outputRecorder } from "../../helpers/output-ledger.js";
import { type Redirected, SignInDriver } from "../../helpers/sign-in-driver.js";

/**
 * `local` end to end: render, install (once), type-check, build, the project's own tests, then the
 * built server over stdio against a dev tenant, driven by a 2025-11-25 client (SDK 1.x), with a
 * person signing in on the tenant's /devicelogin page; and the browser sign-in through MSAL's
 * loopback redirect. (The project's own tests drive it on both revisions with the current SDK.)
 */

interface Registration {
  env: Record<string, string>;
  user: { userPrincipalName: string; displayName: string };
}

type CallResult = Awaited<ReturnType<Client["callTool"]>>;
const textOf = (result: CallResult) => (result.content as { text?: string }[])[0]?.text ?? "";

describe("the local template", () => {
  // A short polling interval: after approval, msal's next device code poll comes within a second.
  // Its CA is the one this test process trusts: the browser sign-in runs the server's code in process.
  const tenant = useDevTenant({ deviceCodeIntervalSeconds: 1 }, { trustedCa: true });
  let project: string;
  let files: string[];

  beforeAll(async () => {
    project = join(await tempDir("mcp-entra-local-"), "my-local-server");
    files = await renderAndInstall("local", project, { projectName: "my-local-server" });
  }, 300_000);
  afterAll(async () => {
    if (project) await rm(join(project, ".."), { recursive: true, force: true });
  });

  it("generates no secret, git ignores .env, and tells VS Code to start it over stdio", async () => {
    expect(files).toContain(".gitignore");
    expect(files).not.toContain(".env");
    for (const file of files) {
      const text = await readFile(join(project, file), "utf8");
      expect(text, file).not.toMatch(
        /[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{20,}|BEGIN [A-Z ]*PRIVATE KEY|eyJ[\w-]+\.eyJ/,
      );
    }
    await run("git", ["init", "-q"], { cwd: project });
    await expect(run("git", ["check-ignore", "-q", ".env"], { cwd: project })).resolves.toBeDefined();
    await expect(run("git", ["check-ignore", "-q", ".env.example"], { cwd: project })).rejects.toThrow();
    const vscode = JSON.parse(await readFile(join(project, ".vscode", "mcp.json"), "utf8"));
    // VS Code's own variable, kept as written: ${workspaceFolder} is the project folder.
    const workspace = (path: string) => `\${workspaceFolder}/${path}`;
    expect(vscode.servers["my-local-server"]).toEqual({
      type: "stdio",
      command: "node",
      args: [workspace("dist/main.js")],
      envFile: workspace(".env"),
    });
  });

  it("type-checks with its own tsconfig", async () => {
    await run("npx", ["tsc", "-p", "tsconfig.json"], { cwd: project });
  }, 120_000);

  it("builds", async () => {
    await run("npm", ["run", "build"], { cwd: project });
  }, 120_000);

  it("passes its own tests, on both revisions", async () => {
    const output = await run("npm", ["test", "--", "--reporter=verbose"], {
      cwd: project,
      timeoutMs: 180_000,
    });
    expect(output).toMatch(/Tests\s+\d+ passed/);
    for (const revision of REVISIONS) expect(output).toContain(`on revision ${revision}`);
  }, 200_000);

  describe("the built server, against a dev tenant", () => {
    let registration: Registration;
    let driver: SignInDriver;

    beforeAll(async () => {
      const t = tenant();
      // The generated project's own registration helper, so this test sets up what its tests do.
      const helper = (await import(join(project, "test/helpers/registration.ts"))) as {
        registerTestApp(tenant: unknown, options: { dir: string }): Promise<Registration>;
      };
      registration = await helper.registerTestApp(t, { dir: join(project, "..", "registration") });
      driver = new SignInDriver({ caPem: t.caPem, user: registration.user.userPrincipalName });
    });

    it("completes initialize → tools/list → tools/call over stdio, the user signing in at /devicelogin", async () => {
      const cacheFile = join(project, "..", "cache", "device-code.json");
      const { CONFIG_VARIABLES } = (await import(join(project, "src/config.ts"))) as {
        CONFIG_VARIABLES: string[];
      };
      // Every variable set (empty = unset): nothing leaks in from the environment.
      const blank = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, ""]));
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [join(project, "dist", "main.js")],
        cwd: project,
        env: childEnv({ ...blank, ...registration.env, ENTRA_TOKEN_CACHE_FILE: cacheFile }) as Record<
          string,
          string
        >,
        stderr: "pipe",
      });
      const logs: string[] = [];
      const recorder = outputRecorder("local server stderr");
      createInterface({ input: transport.stderr as Readable }).on("line", (line) => {
        logs.push(line);
        recorder.append(`${line}\n`);
      });
      const client = new Client({ name: "local-template-test", version: "1.0.0" });
      const protocolErrors: Error[] = [];
      client.onerror = (error) => protocolErrors.push(error);
      try {
        await client.connect(transport);
        expect(client.getServerVersion()).toMatchObject({ name: "my-local-server" });
        const { tools } = await client.listTools();
        expect(tools.map((tool) => tool.name)).toEqual(["whoami", "my_organization"]);

        // First call: sign-in starts, and the answer says what to do.
        const pending = await client.callTool({ name: "whoami" });
        expect(pending.isError).toBe(true);
        const [, url, code] =
          /open (https:\/\/\S+) in a browser and enter the code (\S+) /.exec(textOf(pending)) ?? [];
        expect(url, textOf(pending)).toBe(`${tenant().url}/devicelogin`);
        expect(logs.join("\n")).toContain(code!);

        // The user types the code on the tenant's page and signs in; the next call gets through.
        const approval = await driver.approveDeviceCode(url!, code!);
        expect(approval).toMatchObject({ kind: "page", step: "device-done" });
        const result = await client.callTool({ name: "whoami" });
        expect(result.isError, textOf(result)).toBeFalsy();
        expect(JSON.parse(textOf(result))).toMatchObject(registration.user);

        expect((await stat(cacheFile)).mode & 0o777).toBe(0o600);
        expect(protocolErrors).toEqual([]);
        expect(logs.join("\n")).not.toMatch(/eyJ[\w-]+\.eyJ/);
      } finally {
        await client.close();
      }
    }, 60_000);

    it("signs in with the browser (MSAL loopback redirect) when ENTRA_SIGN_IN_METHOD=browser", async () => {
      const source = (path: string) => import(join(project, "src", path));
      const { loadConfig } = await source("config.ts");
      const { createPublicClient, GRAPH_SCOPES } = await source("auth/public-client.ts");
      const { createUserSignIn } = await source("auth/sign-in.ts");
      const { fileTokenCache } = await source("auth/token-cache.ts");
      const { createGraphClient } = await source("graph/graph-client.ts");
      const { createMcpServer } = await source("mcp-server.ts");
      const { tools } = await source("tools/index.ts");
      const { createLogger } = await source("logger.ts");
      const config = loadConfig({
        ...registration.env,
        ENTRA_SIGN_IN_METHOD: "browser",
        ENTRA_TOKEN_CACHE_FILE: join(project, "..", "cache", "browser.json"),
      });
      let outcome: Redirected | undefined;
      // The "browser": the sign-in driver goes through the tenant's pages and posts the answer
      // (form_post) to the loopback address MSAL listens on.
      // What main.ts wires, with the sign-in's browser swapped.
      const log = createLogger(() => {});
      const app = createPublicClient(config, fileTokenCache(config.tokenCacheFile, log), log);
      const signIn = createUserSignIn(app, {
        config,
        scopes: GRAPH_SCOPES,
        log,
        openBrowser: async (url: string) => {
          const result = await driver.authorize(url);
          if (result.kind === "redirect") outcome = result;
        },
        firstWaitMs: 15_000,
      });
      const graph = createGraphClient(config, () => signIn.getToken());
      const server = createMcpServer(tools, { config, graph, log });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      const client = new Client({ name: "local-template-test", version: "1.0.0" });
      await client.connect(clientSide);
      try {
        const result = await client.callTool({ name: "whoami" });
        expect(result.isError, textOf(result)).toBeFalsy();
        expect(JSON.parse(textOf(result))).toMatchObject(registration.user);
        expect(outcome).toMatchObject({ responseMode: "form_post", delivered: { status: 200 } });
        expect(outcome!.redirectUri).toMatch(/^http:\/\/localhost:\d+\/?$/);
      } finally {
        await client.close();
        await server.close();
      }
    }, 60_000);
  });
});
