import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/dev-tenant.js";
import { run } from "../helpers/generated-project.js";
import { installPackedMcpEntra, type PackedInstall } from "../helpers/packed-install.js";
import { type CliResult, freePort, REPO_ROOT, runCli } from "../helpers/run-cli.js";

/**
 * mcp-entra as npm will ship it: the packed tarball installed into an empty folder, every command run
 * from there (against a dev tenant it starts in the background, in a temp home), and what it generates
 * is what a user commits: no `file:` dependency and no path of this machine.
 */
describe("the packed package, installed from its tarball into an empty folder", () => {
  let installed: PackedInstall;
  let home: string;
  let work: string;
  let port: number;
  const cli = (args: string[], timeoutMs = 120_000): Promise<CliResult> =>
    runCli(args, {
      home,
      cwd: work,
      executable: installed.bin,
      env: { MCP_ENTRA_TENANT_PORT: String(port), NO_COLOR: "1" },
      timeoutMs,
    });
  const templates = ["local", "remote", "proxy"] as const;

  beforeAll(async () => {
    installed = await installPackedMcpEntra();
    home = await tempDir("mcp-entra-npm-home-");
    work = await tempDir("mcp-entra-npm-work-");
    port = await freePort();
  }, 300_000);
  afterAll(async () => {
    if (!installed) return;
    await cli(["tenant", "stop"]);
    const runtime = join(home, "dev-tenant", "runtime.json");
    if (existsSync(runtime)) {
      try {
        process.kill(JSON.parse(await readFile(runtime, "utf8")).pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    for (const folder of [installed.prefix, home, work]) await rm(folder, { recursive: true, force: true });
  });

  it("holds bin, dist, templates (with the prebuilt server quickstart runs), schemas, README and LICENSE, and nothing else", async () => {
    const top = (await readdir(installed.packageDir)).filter((name) => name !== "node_modules").sort();
    expect(top).toEqual(["LICENSE", "README.md", "bin", "dist", "package.json", "schemas", "templates"]);
    const files = (await readdir(installed.packageDir, { recursive: true })).map((file) =>
      file.split("\\").join("/"),
    );
    expect(files).toEqual(expect.arrayContaining(["dist/cli/main.js", "templates/remote/dist/main.js"]));
    // dist's source maps would point at src/, which is not shipped.
    expect(files.filter((file) => file.startsWith("dist/") && file.endsWith(".map"))).toEqual([]);
    expect(files.filter((file) => /(^|\/)(test|src)\//.test(file) && !file.startsWith("templates/"))).toEqual(
      [],
    );
    expect(await readFile(join(installed.packageDir, "LICENSE"), "utf8")).toMatch(/^MIT License/);
  });

  it("npx mcp-entra --version prints the package's version", async () => {
    const output = await run("npx", ["--no-install", "mcp-entra", "--version"], { cwd: installed.prefix });
    expect(output.trim()).toBe(installed.version);
    const ours = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    expect(installed.version).toBe(ours.version);
  });

  it("init renders and registers each template, depending on mcp-entra by the version range of this release", async () => {
    for (const template of templates) {
      const result = await cli(["init", template, "--template", template, "--yes", "--no-install"]);
      expect(result.code, `${template}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toContain(`Registered ${template} (MCP ${template}) in the dev tenant`);
      const manifest = JSON.parse(await readFile(join(work, template, "package.json"), "utf8"));
      expect(manifest.devDependencies["mcp-entra"]).toBe(`^${installed.version}`);
    }
    // Clients that register themselves (DCR, CIMD) get project configs in proxy projects.
    const claude = JSON.parse(await readFile(join(work, "proxy", ".mcp.json"), "utf8"));
    const cursor = JSON.parse(await readFile(join(work, "proxy", ".cursor", "mcp.json"), "utf8"));
    expect(claude).toEqual({ mcpServers: { proxy: { type: "http", url: "http://localhost:3000/mcp" } } });
    expect(cursor).toEqual({ mcpServers: { proxy: { url: "http://localhost:3000/mcp" } } });
  }, 240_000);

  it("quickstart goes from nothing to a passing flow with the package's prebuilt server", async () => {
    const result = await cli(["quickstart", "demo"], 300_000);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain("Quickstart passed end to end.");
    expect(result.stderr).toContain("Placed mcp-entra's build of the server in dist/");
  }, 300_000);

  it("runs every other command from the package", async () => {
    const commands: [string[], number | number[]][] = [
      [["tenant", "status", "--json"], 0],
      [["tenant", "users", "list"], 0],
      [["tenant", "env"], 0],
      [["tenant", "keys", "rotate"], 0],
      [["login"], 0],
      [["whoami", "--json"], 0],
      [["register", "--preset", "remote", "--dir", "demo", "--dry-run"], 0],
      [["app", "show", "--dir", "demo"], 0],
      [["secret", "list", "--dir", "demo"], 0],
      [["secret", "rotate", "--dir", "demo"], 0],
      [["app", "delete", "--dir", "demo", "--dry-run"], 0],
      [["explain", "AADSTS70021"], 0],
      // No server runs there: the flow loads, runs and reports the failure (exit 1); so do the checks.
      [["test-flow", `http://127.0.0.1:${await freePort()}/mcp`], 1],
      [
        ["doctor", "--dir", "demo"],
        [0, 1],
      ],
      [["logout"], 0],
    ];
    for (const [args, code] of commands) {
      const result = await cli(args);
      const shown = `mcp-entra ${args.join(" ")} (exit ${result.code}):\n${result.stdout}\n${result.stderr}`;
      expect([code].flat(), shown).toContain(result.code);
      expect(`${result.stdout}${result.stderr}`, shown).not.toMatch(
        /ERR_MODULE_NOT_FOUND|Cannot find (module|package)|--verbose for details/,
      );
    }
  }, 240_000);

  it("generates no file that holds a file: dependency or a path of this machine (what git would commit)", async () => {
    const machinePaths = [REPO_ROOT, installed.prefix, home, work, `${homedir()}/`].map((path) =>
      path.replace(/\/?$/, "/"),
    );
    for (const project of [...templates, "demo"]) {
      const dir = join(work, project);
      await promisify(execFile)("git", ["init", "-q"], { cwd: dir });
      const { stdout } = await promisify(execFile)("git", ["ls-files", "--others", "--exclude-standard"], {
        cwd: dir,
      });
      const committed = stdout.split("\n").filter(Boolean);
      expect(committed, project).toEqual(expect.arrayContaining(["package.json", "mcp-entra.json"]));
      expect(committed, project).not.toContain(".env");
      for (const file of committed) {
        const text = await readFile(join(dir, file), "utf8");
        // A file: dependency or URL (`"file:…"`, `file:///…`).
        expect(text, `${project}/${file}`).not.toMatch(/"file:|file:\/\//);
        for (const path of machinePaths)
          expect(text.includes(path), `${project}/${file} holds ${path}`).toBe(false);
      }
    }
  });
});
