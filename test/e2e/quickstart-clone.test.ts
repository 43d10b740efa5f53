import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/dev-tenant.js";
import { childEnv, run } from "../helpers/generated-project.js";
import { freePort, REPO_ROOT } from "../helpers/run-cli.js";

/**
 * The README's promise: from a fresh clone, `npm install` (which builds) and then
 * `npx mcp-entra quickstart` give a green end-to-end flow on the dev tenant — and running it again is
 * safe. The clone's dependencies are linked from this checkout (CI's `npm ci` is what proves the
 * install itself); it is built with its own `npm run build`, exactly as `npm install` does.
 * quickstart itself does not wait for npm: the project's `npm install` is the next step it prints,
 * and the last case takes it.
 */
describe("quickstart from a fresh clone", () => {
  let clone: string;
  let work: string;
  let env: NodeJS.ProcessEnv;

  const quickstart = async (): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        [join(clone, "bin", "mcp-entra.js"), "quickstart", "demo"],
        { cwd: work, env, timeout: 420_000, maxBuffer: 16 * 1024 * 1024 },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return {
        code: typeof failed.code === "number" ? failed.code : 1,
        stdout: failed.stdout ?? "",
        stderr: failed.stderr ?? "",
      };
    }
  };

  beforeAll(async () => {
    const root = await tempDir("mcp-entra-clone-");
    clone = join(root, "mcp-entra");
    await run("git", ["clone", "--quiet", REPO_ROOT, clone], { cwd: root });
    await symlink(join(REPO_ROOT, "node_modules"), join(clone, "node_modules"), "dir");
    await run("npm", ["run", "build"], { cwd: clone, timeoutMs: 180_000 });
    work = await tempDir("mcp-entra-quickstart-");
    env = childEnv({
      MCP_ENTRA_HOME: await tempDir("mcp-entra-home-"),
      MCP_ENTRA_TENANT_PORT: String(await freePort()),
    });
  }, 240_000);

  afterAll(async () => {
    if (clone) {
      await promisify(execFile)(process.execPath, [join(clone, "bin", "mcp-entra.js"), "tenant", "stop"], {
        env,
      }).catch(() => undefined);
      await rm(join(clone, ".."), { recursive: true, force: true });
    }
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("goes from nothing to a passing flow with every probe, offline on the dev tenant", async () => {
    const { code, stdout, stderr } = await quickstart();
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain("Quickstart passed end to end.");
    expect(stdout).toMatch(/✔ Probe: no token/);
    // The tool call went through the server to Graph on-behalf-of the signed-in user.
    expect(stdout).toMatch(/✔ MCP tools\/call .*whoami answered: \{"id":"[^"]+","displayName":"[^"]+"/);
    expect(stdout).toMatch(/text: \{.*"userPrincipalName": "adele@/);
    // Both revisions the server speaks: a current client (2026-07-28), then a 2025-11-25 one.
    expect(stdout).toMatch(/MCP 2026-07-28 \(--protocol 2026-07-28\)/);
    expect(stdout).toMatch(
      /✔ As a 2025-11-25 client \(the initialize handshake, the same sign-in\): MCP session \d+ ms, MCP tools\/list \d+ ms, MCP tools\/call \d+ ms/,
    );
    const project = join(work, "demo");
    for (const file of ["mcp-entra.json", ".env", "dist/main.js", ".vscode/mcp.json"]) {
      expect(existsSync(join(project, file)), file).toBe(true);
    }
    // No npm install: mcp-entra's build of the template ran with mcp-entra's packages, and the next
    // step says what the project still needs.
    expect(existsSync(join(project, "node_modules"))).toBe(false);
    expect(stderr).toContain("Placed mcp-entra's build of the server in dist/");
    expect(stdout).toContain("run with mcp-entra's packages");
    expect(stdout).toContain(`cd demo && npm install && eval "$(npx mcp-entra tenant env)" && npm start`);
    expect((await stat(join(project, ".env"))).mode & 0o777).toBe(0o600);
    const secret = (await readFile(join(project, ".env"), "utf8")).match(/^ENTRA_CLIENT_SECRET=(\S+)$/m)?.[1];
    expect(secret).toBeTruthy();
    expect(`${stdout}${stderr}`).not.toContain(secret);
  }, 480_000);

  it("is safe to run again: same project, same registration, passing again", async () => {
    const config = await readFile(join(work, "demo", "mcp-entra.json"), "utf8");
    const { code, stdout, stderr } = await quickstart();
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain("Quickstart passed end to end.");
    expect(JSON.parse(await readFile(join(work, "demo", "mcp-entra.json"), "utf8")).apps.remote.appId).toBe(
      JSON.parse(config).apps.remote.appId,
    );
  }, 300_000);

  it("once the project is installed, builds it and runs the project's own code", async () => {
    const project = join(work, "demo");
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
      cwd: project,
      timeoutMs: 300_000,
    });
    const tool = join(project, "src", "tools", "server-time.ts");
    await writeFile(tool, (await readFile(tool, "utf8")).replace('"server_time"', '"server_clock"'));
    const { code, stdout, stderr } = await quickstart();
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stderr).toContain("Built the server");
    expect(stdout).toMatch(/tools: server_clock, /);
    expect(stdout).toContain("its own build; start it with npm start");
    expect(stdout).toContain(`cd demo && eval "$(npx mcp-entra tenant env)" && npm start`);
  }, 480_000);
});
