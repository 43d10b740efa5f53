import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnvFile } from "../../src/core/env-file.js";
import { tempDir } from "../helpers/dev-tenant.js";
import { assertBuilt, freePort, runCli } from "../helpers/run-cli.js";

/**
 * `mcp-entra init` through the built binary, without a terminal, registering in the dev tenant it
 * starts in the background (on a free port, in a temp home), which is stopped at the end.
 */
describe("mcp-entra init (built binary)", () => {
  let home: string;
  let work: string;
  let port: number;
  const cli = (...args: string[]) =>
    runCli(args, { home, env: { MCP_ENTRA_TENANT_PORT: String(port), NO_COLOR: "1" } });
  const project = () => join(work, "my-server");

  /** Every file under a folder with its content, to show that nothing changed. */
  const snapshot = async (dir: string) => {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
    return Object.fromEntries(
      await Promise.all(
        files
          .sort()
          .map(async (file) => [file, `${(await stat(file)).mtimeMs} ${await readFile(file, "utf8")}`]),
      ),
    );
  };

  beforeAll(async () => {
    assertBuilt();
    home = await tempDir("mcp-entra-init-home-");
    work = await tempDir("mcp-entra-init-");
    port = await freePort();
  });
  afterAll(async () => {
    await cli("tenant", "stop");
    const runtime = join(home, "dev-tenant", "runtime.json");
    if (existsSync(runtime)) process.kill(JSON.parse(await readFile(runtime, "utf8")).pid, "SIGKILL");
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it("renders the remote template, registers it in the dev tenant, writes .env (0600, git-ignored) and mcp-entra.json", async () => {
    const result = await cli("init", project(), "--template", "remote", "--yes", "--no-install");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Started the dev tenant at https://localhost:${port}`);

    const manifest = JSON.parse(await readFile(join(project(), "package.json"), "utf8"));
    expect(manifest.name).toBe("my-server");
    for (const file of ["src/main.ts", ".env.example", ".vscode/mcp.json", "README.md"]) {
      expect(existsSync(join(project(), file)), file).toBe(true);
    }

    const env = await readEnvFile(join(project(), ".env"));
    const config = JSON.parse(await readFile(join(project(), "mcp-entra.json"), "utf8"));
    const appId = config.apps.remote.appId as string;
    expect(env).toMatchObject({
      ENTRA_TENANT_ID: config.tenant.id,
      ENTRA_AUTHORITY_HOST: `https://localhost:${port}`,
      ENTRA_CLIENT_ID: appId,
      ENTRA_APP_ID_URI: `api://${appId}`,
      NODE_EXTRA_CA_CERTS: join(home, "dev-tenant", "ca.pem"),
      GRAPH_BASE_URL: `https://localhost:${port}/v1.0`,
      MCP_SERVER_URL: "http://localhost:3000/mcp",
      MCP_SCOPE: `api://${appId}/user_impersonation`,
      PORT: "3000",
    });
    expect(env.ENTRA_CLIENT_SECRET).toMatch(/^\S{20,}$/);
    expect((await stat(join(project(), ".env"))).mode & 0o777).toBe(0o600);
    await promisify(execFile)("git", ["init", "-q"], { cwd: project() });
    await expect(
      promisify(execFile)("git", ["check-ignore", "-q", ".env"], { cwd: project() }),
    ).resolves.toBeDefined();

    const output = `${result.stdout}${result.stderr}`;
    expect(output).not.toContain(env.ENTRA_CLIENT_SECRET);
    expect(await readFile(join(project(), "mcp-entra.json"), "utf8")).not.toContain(env.ENTRA_CLIENT_SECRET);
    expect(result.stdout).toContain(`Registered my-server (MCP remote) in the dev tenant`);
    expect(result.stdout).toMatch(/Next steps:[\s\S]*npm install[\s\S]*npm test/);
    expect(result.stdout).toContain("npx mcp-entra test-flow http://localhost:3000/mcp");
    expect(result.stdout).toContain(".vscode/mcp.json");
    expect(result.stdout).not.toMatch(/npx mcp-entra register/);
  }, 60_000);

  it("refuses to init into the same folder again without --force (exit 2, nothing changed)", async () => {
    const before = await snapshot(project());
    const result = await cli("init", project(), "--template", "remote", "--yes", "--no-install");
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringContaining("--force")]);
    expect(await snapshot(project())).toEqual(before);
  });

  it("with --force writes the template again and finds its registration again (same app, same secret)", async () => {
    const before = await readEnvFile(join(project(), ".env"));
    const result = await cli("init", project(), "--template", "remote", "--yes", "--no-install", "--force");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Up to date: my-server (MCP remote)");
    expect(await readEnvFile(join(project(), ".env"))).toEqual(before);
  }, 60_000);

  it("without a terminal, a missing --template is a usage error naming it, and nothing is written", async () => {
    const dir = join(work, "no-template");
    const result = await cli("init", dir, "--no-register", "--no-install");
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringContaining("--template")]);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(existsSync(dir)).toBe(false);
  });

  it("--no-register writes no .env; --json prints one document with the files and next steps", async () => {
    const dir = join(work, "unregistered");
    const result = await cli(
      "--json",
      "init",
      dir,
      "--template",
      "remote",
      "--no-register",
      "--no-install",
      "--port",
      "4123",
    );
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      ok: true,
      dir,
      template: "remote",
      projectName: "unregistered",
      variables: { port: "4123", serverUrl: "http://localhost:4123/mcp" },
      registration: null,
      installed: false,
    });
    expect(json.files).toContain("package.json");
    expect(json.files).not.toContain(".env");
    expect(existsSync(join(dir, ".env"))).toBe(false);
    expect(existsSync(join(dir, "mcp-entra.json"))).toBe(false);
    expect(await readFile(join(dir, ".env.example"), "utf8")).toMatch(/^PORT=4123$/m);
    expect(json.nextSteps.map((step: { command?: string }) => step.command)).toEqual(
      expect.arrayContaining([
        "npm install",
        "npx mcp-entra register --preset remote --server-url http://localhost:4123/mcp",
        "npx mcp-entra test-flow http://localhost:4123/mcp",
      ]),
    );
  });
});
