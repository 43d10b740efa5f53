import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isProcessAlive } from "../../src/core/processes.js";
import { tempDir } from "../helpers/dev-tenant.js";
import { assertBuilt, CLI, freePort, REPO_ROOT, runCli } from "../helpers/run-cli.js";

/** The `mcp-entra tenant …` commands through the built binary, one dev tenant in the background. */
describe("mcp-entra tenant (built binary)", () => {
  let home: string;
  let otherHome: string;
  let port: number;
  const cli = (...args: string[]) => runCli(args, { home });
  const status = async () => {
    const result = await cli("tenant", "status", "--json");
    return { code: result.code, json: JSON.parse(result.stdout) };
  };

  beforeAll(async () => {
    assertBuilt();
    home = await tempDir();
    otherHome = await tempDir();
    port = await freePort();
  });
  afterAll(async () => {
    await cli("tenant", "stop");
    const runtime = join(home, "dev-tenant", "runtime.json");
    if (existsSync(runtime)) process.kill(JSON.parse(await readFile(runtime, "utf8")).pid, "SIGKILL");
    await rm(home, { recursive: true, force: true });
    await rm(otherHome, { recursive: true, force: true });
  });

  it("status says when no tenant runs, with exit code 1", async () => {
    const text = await cli("tenant", "status");
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("The dev tenant is not running.");
    expect(await status()).toEqual({ code: 1, json: { running: false, home } });
  });

  it("reset without --yes and without a terminal is a usage error naming --yes", async () => {
    const result = await cli("tenant", "reset");
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("--yes");
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it("start --detach returns once the tenant answers; status --json describes it", async () => {
    const started = await cli("tenant", "start", "--detach", "--port", String(port));
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(`https://localhost:${port}`);
    const { code, json } = await status();
    expect(code).toBe(0);
    expect(json).toMatchObject({
      running: true,
      url: `https://localhost:${port}`,
      port,
      domain: "mcpdev.onmicrosoft.localhost",
      authority: `https://localhost:${port}/${json.tenantId}`,
      issuer: `https://localhost:${port}/${json.tenantId}/v2.0`,
      caFile: join(home, "dev-tenant", "ca.pem"),
      autoApprove: null,
      logFile: join(home, "dev-tenant", "tenant.log"),
    });
    expect(isProcessAlive(json.pid)).toBe(true);
  });

  it("starting again says it already runs; another port is a usage error naming --port", async () => {
    const again = await cli("tenant", "start", "--detach");
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("already running");
    const otherPort = await cli("tenant", "start", "--port", String(port + 1));
    expect(otherPort.code).toBe(2);
    expect(otherPort.stderr).toContain("--port");
  });

  it("a port in use is exit 2 with one line naming --port, in the background and in the foreground", async () => {
    for (const args of [["--detach"], []]) {
      const result = await runCli(["tenant", "start", "--port", String(port), ...args], { home: otherHome });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toEqual([expect.stringContaining("--port")]);
      expect(result.stderr).toContain(`Port ${port} is already in use`);
    }
  });

  it("users add and list go through the running tenant", async () => {
    const added = await cli("tenant", "users", "add", "tester", "--name", "Test Er", "--admin");
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("tester@mcpdev.onmicrosoft.localhost");
    expect(added.stderr).toContain(`Using the dev tenant at https://localhost:${port}`);
    const listed = JSON.parse((await cli("tenant", "users", "--json")).stdout);
    expect(listed.users).toContainEqual(
      expect.objectContaining({ userPrincipalName: "tester@mcpdev.onmicrosoft.localhost", admin: true }),
    );
    const invalid = await cli("tenant", "users", "add", "not valid");
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("<alias>");
  });

  it("identities add and list: a user-assigned managed identity with its client id and principal id", async () => {
    const added = await cli("tenant", "identities", "add", "mcp-server-identity");
    expect(added.code, added.stderr).toBe(0);
    const clientId = /Client id\s+(\S+)/.exec(added.stdout)?.[1];
    const principalId = /Principal \(object\) id\s+(\S+)/.exec(added.stdout)?.[1];
    expect(added.stderr).toContain(`--credential managed-identity --managed-identity ${clientId}`);
    const listed = JSON.parse((await cli("tenant", "identities", "--json")).stdout);
    expect(listed.identities).toEqual([{ name: "mcp-server-identity", clientId, principalId }]);
    expect((await cli("tenant", "identities", "add", "mcp-server-identity")).code).toBe(2);
    const invalid = await cli("tenant", "identities", "add", "not valid");
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("<name>");
  });

  it("env prints lines that make a plain Node process trust the dev tenant", async () => {
    const env = await cli("tenant", "env");
    expect(env.code).toBe(0);
    expect(env.stdout).toContain(`export NODE_EXTRA_CA_CERTS='${join(home, "dev-tenant", "ca.pem")}'`);
    const script = `eval "$(${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} tenant env)" && ${JSON.stringify(process.execPath)} -e "fetch(process.env.MCP_ENTRA_TENANT_URL + '/health').then((r) => r.json()).then((b) => console.log(b.status, b.tenantId === process.env.MCP_ENTRA_TENANT_ID))"`;
    const { stdout } = await promisify(execFile)("sh", ["-c", script], {
      env: { ...process.env, MCP_ENTRA_HOME: home, NODE_EXTRA_CA_CERTS: "", FORCE_COLOR: "0" },
    });
    expect(stdout.trim()).toBe("ok true");
  });

  it("reset --yes wipes the tenant, keeps the CA, and restarts it", async () => {
    const before = (await status()).json;
    const ca = await readFile(join(home, "dev-tenant", "ca.pem"), "utf8");
    const reset = await cli("tenant", "reset", "--yes");
    expect(reset.code).toBe(0);
    const after = (await status()).json;
    expect(after).toMatchObject({ running: true, port });
    expect(after.tenantId).not.toBe(before.tenantId);
    expect(await readFile(join(home, "dev-tenant", "ca.pem"), "utf8")).toBe(ca);
    const users = JSON.parse((await cli("tenant", "users", "--json")).stdout).users;
    expect(users.map((user: { userPrincipalName: string }) => user.userPrincipalName)).not.toContain(
      "tester@mcpdev.onmicrosoft.localhost",
    );
  });

  it("after kill -9 the tenant counts as stopped and starts again from its state", async () => {
    const before = (await status()).json;
    await cli("tenant", "users", "add", "survivor");
    process.kill(before.pid, "SIGKILL");
    await expect.poll(() => isProcessAlive(before.pid)).toBe(false);
    expect((await status()).code).toBe(1);
    expect((await cli("tenant", "start", "--detach", "--port", String(port))).code).toBe(0);
    const after = (await status()).json;
    expect(after.tenantId).toBe(before.tenantId);
    const users = JSON.parse((await cli("tenant", "users", "--json")).stdout).users;
    expect(users.map((user: { userPrincipalName: string }) => user.userPrincipalName)).toContain(
      "survivor@mcpdev.onmicrosoft.localhost",
    );
  });

  it("--help and tenant status load no heavy module", async () => {
    const logFile = join(home, "modules.log");
    for (const args of [["--help"], ["tenant", "status"]]) {
      await rm(logFile, { force: true });
      await runCli(args, {
        home,
        env: { MODULE_LOG: logFile, NODE_OPTIONS: "--import ./test/fixtures/log-modules.mjs" },
      });
      const loaded = await readFile(logFile, "utf8");
      expect(loaded).toContain("dist/bundle/cli.js");
      // bin runs the bundle: what each loaded chunk holds is in the build's metafile.
      const meta = JSON.parse(await readFile(join(REPO_ROOT, "dist/bundle/meta.json"), "utf8")) as {
        outputs: Record<string, { inputs: Record<string, unknown> }>;
      };
      const chunks = loaded.split("\n").flatMap((url) => url.match(/dist\/bundle\/[^/]+\.js$/) ?? []);
      const inputs = chunks.flatMap((chunk) => Object.keys(meta.outputs[chunk]?.inputs ?? {}));
      expect(inputs).toContain("dist/cli/main.js");
      expect([loaded, ...inputs].join("\n")).not.toMatch(
        /node_modules\/(express|jose|@azure|@microsoft|@modelcontextprotocol|zod|undici)\//,
      );
    }
  });

  it("stop stops it; stopping again says it is not running", async () => {
    const { json } = await status();
    const stopped = await cli("tenant", "stop");
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`Stopped the dev tenant (pid ${json.pid}`);
    expect(isProcessAlive(json.pid)).toBe(false);
    expect(existsSync(join(home, "dev-tenant", "runtime.json"))).toBe(false);
    expect((await status()).code).toBe(1);
    const again = await cli("tenant", "stop");
    expect(again).toMatchObject({ code: 0, stdout: "The dev tenant is not running.\n" });
  });
});
