import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type DetachedTenant, startDetachedTenant } from "../helpers/detached-tenant.js";
import { tempDir } from "../helpers/dev-tenant.js";
import { assertBuilt, CLI } from "../helpers/run-cli.js";
import { openTerminal, type Terminal } from "../helpers/terminal.js";

/**
 * The prompts of `init` and `register` as a person meets them: the built binary in a real
 * pseudo-terminal (tmux), answered with arrow keys, typing and Enter; and Ctrl-C at a prompt, which
 * must leave nothing behind — no folder or file, no app in the tenant.
 */
// Each step waits at most 30 s for the terminal (and says what it showed); a test takes a few steps.
describe("prompts in a terminal", { timeout: 120_000 }, () => {
  let tenant: DetachedTenant;
  let terminal: Terminal | undefined;
  const open = async (args: string[], cwd: string) => {
    terminal = await openTerminal([process.execPath, CLI, ...args], {
      cwd,
      env: { MCP_ENTRA_HOME: tenant.home, ...tenant.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    });
    return terminal;
  };
  const appNames = async () => (await tenant.state()).applications.map((app) => app.displayName).sort();

  beforeAll(async () => {
    assertBuilt();
    tenant = await startDetachedTenant();
  });
  afterEach(async () => {
    await terminal?.close();
    terminal = undefined;
  });
  afterAll(async () => {
    await tenant?.stop();
  });

  it("init: a name typed, a template chosen with the arrow keys, register yes, install no", async () => {
    const cwd = await tempDir("mcp-entra-tty-init-");
    const tty = await open(["init"], cwd);
    await tty.waitFor("Project name (also the new folder's name):");
    await tty.type("tty-server");
    await tty.press("Enter");
    await tty.waitFor("Which template?");
    // The cursor starts on the default (remote); local is the one above it.
    await tty.press("Up");
    await tty.waitFor(/❯ local/);
    await tty.press("Enter");
    await tty.waitFor("Register the Entra app now (mcp-entra register --preset local; writes .env)?");
    await tty.press("Enter");
    await tty.waitFor("Install dependencies now (npm install)?");
    await tty.type("n");
    await tty.press("Enter");
    expect(await tty.exitCode()).toBe(0);

    const dir = join(cwd, "tty-server");
    const config = JSON.parse(await readFile(join(dir, "mcp-entra.json"), "utf8"));
    expect(Object.keys(config.apps)).toEqual(["local"]);
    expect(JSON.parse(await readFile(join(dir, "package.json"), "utf8")).name).toBe("tty-server");
    expect(await readdir(dir)).not.toContain("node_modules");
    const app = (await tenant.state()).applications.find(
      (candidate) => candidate.appId === config.apps.local.appId,
    );
    expect(app?.isFallbackPublicClient).toBe(true);
    expect(await tty.screen()).toContain("tty-server");
  });

  it("init: Ctrl-C at the last question leaves no folder and no app", async () => {
    const cwd = await tempDir("mcp-entra-tty-init-");
    const before = await appNames();
    const tty = await open(["init", "cancelled-server"], cwd);
    await tty.waitFor("Which template?");
    await tty.press("Enter");
    await tty.waitFor("Port the server listens on in development:");
    await tty.press("Enter");
    await tty.waitFor("Public URL of the MCP endpoint:");
    await tty.press("Enter");
    await tty.waitFor("Register the Entra app now");
    await tty.press("Enter");
    await tty.waitFor("Install dependencies now (npm install)?");
    await tty.press("C-c");
    expect(await tty.exitCode()).toBe(130);
    expect(await tty.screen()).toContain("Cancelled.");
    expect(await readdir(cwd)).toEqual([]);
    expect(await appNames()).toEqual(before);
  });

  it("register: the preset chosen with the arrow keys", async () => {
    const dir = await tempDir("mcp-entra-tty-register-");
    const tty = await open(["register", "--dir", dir], dir);
    await tty.waitFor("Which registration?");
    await tty.press("Down");
    await tty.waitFor(/❯ remote/);
    await tty.press("Enter");
    expect(await tty.exitCode()).toBe(0);
    const config = JSON.parse(await readFile(join(dir, "mcp-entra.json"), "utf8"));
    expect(Object.keys(config.apps)).toEqual(["remote"]);
    const state = await tenant.state();
    expect(state.applications.find((app) => app.appId === config.apps.remote.appId)?.identifierUris).toEqual([
      `api://${config.apps.remote.appId}`,
    ]);
    expect(await tty.screen()).toContain("Registered");
  });

  it("register: Ctrl-C at the preset prompt leaves no file and no app", async () => {
    const dir = await tempDir("mcp-entra-tty-register-");
    const before = await appNames();
    const tty = await open(["register", "--dir", dir], dir);
    await tty.waitFor("Which registration?");
    await tty.press("Down", "Down");
    await tty.waitFor(/❯ proxy/);
    await tty.press("C-c");
    expect(await tty.exitCode()).toBe(130);
    expect(await tty.screen()).toContain("Cancelled.");
    expect(await readdir(dir)).toEqual([]);
    expect(await appNames()).toEqual(before);
  });
});
