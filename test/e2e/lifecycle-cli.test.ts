import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnvFile } from "../../src/core/env-file.js";
import { tempDir } from "../helpers/dev-tenant.js";
import { assertBuilt, freePort, runCli } from "../helpers/run-cli.js";

/** app show/delete and secret rotate/list through the built binary: confirmations, exit codes, output. */
describe("mcp-entra app and secret (built binary)", () => {
  let home: string;
  let dir: string;
  let port: number;
  const cli = (...args: string[]) =>
    runCli([...args, "--dir", dir], {
      home,
      env: { MCP_ENTRA_TENANT_PORT: String(port) },
      allowSecrets: args.includes("--show-secret"),
    });
  const secret = async () => (await readEnvFile(join(dir, ".env"))).ENTRA_CLIENT_SECRET!;

  beforeAll(async () => {
    assertBuilt();
    home = await tempDir();
    dir = await tempDir("mcp-entra-project-");
    port = await freePort();
    const registered = await cli("register", "--preset", "remote");
    expect(registered.code, registered.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await runCli(["tenant", "stop"], { home });
    const runtime = join(home, "dev-tenant", "runtime.json");
    if (existsSync(runtime)) process.kill(JSON.parse(await readFile(runtime, "utf8")).pid, "SIGKILL");
    await rm(home, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  });

  it("app show --json: in sync after register, exit 0, no secret", async () => {
    const result = await cli("app", "show", "--json");
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.drift).toEqual({ inSync: true, patches: [], other: [] });
    expect(json.credentials.secrets).toHaveLength(1);
    expect(`${result.stdout}${result.stderr}`).not.toContain(await secret());
  });

  it("app delete without a terminal and without --yes: exit 2, one line naming --yes, nothing deleted", async () => {
    const config = await readFile(join(dir, "mcp-entra.json"), "utf8");
    const result = await cli("app", "delete");
    expect(result.code).toBe(2);
    const errors = result.stderr.split("\n").filter((line) => line.startsWith("error:"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("--yes");
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(await readFile(join(dir, "mcp-entra.json"), "utf8")).toBe(config);
    expect((await cli("app", "show")).code).toBe(0);
  });

  it("secret rotate prints no secret unless --show-secret; secret list never does", async () => {
    const before = await secret();
    const rotated = await cli("secret", "rotate");
    expect(rotated.code, rotated.stderr).toBe(0);
    const after = await secret();
    expect(after).not.toBe(before);
    expect(`${rotated.stdout}${rotated.stderr}`).not.toContain(after);

    const shown = await cli("secret", "rotate", "--json", "--show-secret");
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).secret.value).toBe(await secret());

    const listed = await cli("secret", "list", "--json");
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).secrets).toEqual([
      expect.objectContaining({ managed: true, inEnv: true }),
    ]);
    expect(`${listed.stdout}${listed.stderr}`).not.toContain(await secret());
  });

  it("bad flags are usage errors (exit 2)", async () => {
    expect((await cli("app", "show", "--preset", "nope")).code).toBe(2);
    expect((await cli("app", "show", "--key", "nope")).code).toBe(2);
    expect((await cli("secret", "rotate", "--secret-lifetime", "9999")).code).toBe(2);
  });

  it("app delete --yes deletes; app show then exits 1 with the fix when mcp-entra.json still names the app", async () => {
    const config = await readFile(join(dir, "mcp-entra.json"), "utf8");
    const deleted = await cli("app", "delete", "--yes");
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain("Deleted");
    expect((await readEnvFile(join(dir, ".env"))).ENTRA_CLIENT_SECRET).toBeUndefined();

    await writeFile(join(dir, "mcp-entra.json"), config);
    const missing = await cli("app", "show");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("is not in the dev tenant");
    expect(missing.stderr).toContain("mcp-entra register --preset remote");
  });
});
