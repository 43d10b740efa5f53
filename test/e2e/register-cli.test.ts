import { type ChildProcess, spawn } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfidentialClientApplication } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnvFile } from "../../src/core/env-file.js";
import { msalConfiguration } from "../../src/entra/msal-config.js";
import type { RequestLogEntry } from "../../src/tenant/server/request-log.js";
import { type DetachedTenant, JWT_PATTERN, startDetachedTenant } from "../helpers/detached-tenant.js";
import { tempDir } from "../helpers/dev-tenant.js";
import { assertNoDuplicates } from "../helpers/registration.js";
import { assertBuilt, CLI, REPO_ROOT } from "../helpers/run-cli.js";

/** `mcp-entra register` through the built binary against a dev tenant running in the background. */
describe("mcp-entra register (built binary)", () => {
  let tenant: DetachedTenant;

  beforeAll(async () => {
    assertBuilt();
    tenant = await startDetachedTenant();
  });
  afterAll(async () => {
    await tenant?.stop();
  });

  function spawnRegister(dir: string): ChildProcess {
    return spawn(process.execPath, [CLI, "register", "--preset", "remote", "--dir", dir], {
      cwd: REPO_ROOT,
      env: { ...process.env, MCP_ENTRA_HOME: tenant.home, FORCE_COLOR: "0", ...tenant.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  /** Waits until the tenant's request log shows a Graph write that `matches`. */
  async function waitForWrite(matches: (entry: RequestLogEntry) => boolean, child: ChildProcess) {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if ((await tenant.graphLog({ writesOnly: true })).some(matches)) return;
      if (child.exitCode !== null) throw new Error(`register ended (${child.exitCode}) before the write`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("the write never came");
  }

  function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve({ code: child.exitCode, signal: child.signalCode });
      } else child.once("exit", (code, signal) => resolve({ code, signal }));
    });
  }

  /** After an interrupted run: the re-run completes the registration, the one after writes nothing. */
  async function expectConvergence(dir: string) {
    const rerun = await tenant.cli(["register", "--preset", "remote", "--dir", dir]);
    expect(rerun.stderr).not.toContain("error:");
    expect(rerun.code).toBe(0);
    await tenant.setFaults(undefined);
    const state = await tenant.state();
    assertNoDuplicates(state);
    const config = JSON.parse(await readFile(join(dir, "mcp-entra.json"), "utf8"));
    const apps = state.applications.filter((app) => app.uniqueName === config.apps.remote.uniqueName);
    expect(apps).toHaveLength(1);
    const app = apps[0]!;
    expect(app.identifierUris).toEqual([`api://${app.appId}`]);
    expect(app.api.preAuthorizedApplications).toHaveLength(1);
    const sp = state.servicePrincipals.find((candidate) => candidate.appId === app.appId)!;
    expect(state.oauth2PermissionGrants.filter((grant) => grant.clientId === sp.id)).toHaveLength(1);
    expect(app.passwordCredentials).toHaveLength(1);
    // The one secret is the one in .env, and it works.
    const env = await readEnvFile(join(dir, ".env"));
    const msal = new ConfidentialClientApplication(
      msalConfiguration(
        { authority: `${tenant.url}/${tenant.tenantId}`, caPems: [tenant.caPem] },
        { clientId: app.appId, clientSecret: env.ENTRA_CLIENT_SECRET! },
      ),
    );
    expect(
      await msal.acquireTokenByClientCredential({ scopes: [`api://${app.appId}/.default`] }),
    ).toBeTruthy();

    await tenant.clearLog();
    const again = await tenant.cli(["register", "--preset", "remote", "--dir", dir]);
    expect(again.code).toBe(0);
    expect(await tenant.graphLog({ writesOnly: true })).toEqual([]);
  }

  it("kill -9 right after the app is created: the re-run completes it without duplicates", async () => {
    const dir = await tempDir("mcp-entra-project-");
    await tenant.setFaults("replication:1500,latency:100,seed:3");
    await tenant.clearLog();
    const child = spawnRegister(dir);
    await waitForWrite(
      (entry) => entry.method === "PATCH" && entry.path.includes("uniqueName") && entry.status === 201,
      child,
    );
    child.kill("SIGKILL");
    expect((await exited(child)).signal).toBe("SIGKILL");
    const log = await tenant.graphLog({ writesOnly: true });
    expect(log.some((entry) => entry.path === "/v1.0/servicePrincipals" && entry.status === 201)).toBe(false);
    await expectConvergence(dir);
  });

  it("Ctrl-C (SIGINT) after the service principal is created: the re-run completes it without duplicates", async () => {
    const dir = await tempDir("mcp-entra-project-");
    await tenant.setFaults("replication:1500,latency:100,seed:4");
    await tenant.clearLog();
    const child = spawnRegister(dir);
    await waitForWrite(
      (entry) => entry.method === "POST" && entry.path === "/v1.0/servicePrincipals" && entry.status === 201,
      child,
    );
    child.kill("SIGINT");
    const end = await exited(child);
    expect(end.signal === "SIGINT" || end.code === 130).toBe(true);
    await expectConvergence(dir);
  });

  describe("output safety", () => {
    let dir: string;
    const outputs: string[] = [];
    const run = async (args: string[]) => {
      const result = await tenant.cli(args);
      outputs.push(result.stdout, result.stderr);
      return result;
    };

    beforeAll(async () => {
      await tenant.setFaults(undefined);
      dir = await tempDir("mcp-entra-project-");
    });

    it("register, login and whoami (text and --json) print no secret and no token", async () => {
      for (const json of [[], ["--json"]]) {
        expect((await run(["register", "--preset", "remote", "--dir", dir, ...json])).code).toBe(0);
        expect((await run(["login", ...json])).code).toBe(0);
        expect((await run(["whoami", ...json])).code).toBe(0);
      }
      const secret = (await readEnvFile(join(dir, ".env"))).ENTRA_CLIENT_SECRET!;
      expect(secret.length).toBeGreaterThan(20);
      for (const output of outputs) {
        expect(output).not.toContain(secret);
        expect(output).not.toMatch(JWT_PATTERN);
      }
      const json = JSON.parse(outputs.at(-6)!);
      expect(json.secret).not.toHaveProperty("value");
    }, 90_000); // six runs of the CLI: over 30 s on a busy 2-core machine

    it(".env is 0600 and git-ignored; mcp-entra.json never holds the secret", async () => {
      const env = await readEnvFile(join(dir, ".env"));
      expect((await stat(join(dir, ".env"))).mode & 0o777).toBe(0o600);
      expect(await readFile(join(dir, ".gitignore"), "utf8")).toMatch(/^\.env$/m);
      expect(await readFile(join(dir, "mcp-entra.json"), "utf8")).not.toContain(env.ENTRA_CLIENT_SECRET!);
    });

    it("--show-secret prints a new secret's value exactly once, on stdout", async () => {
      for (const json of [[], ["--json"]]) {
        const result = await run([
          "register",
          "--preset",
          "remote",
          "--dir",
          dir,
          "--new-secret",
          "--show-secret",
          ...json,
        ]);
        expect(result.code).toBe(0);
        const secret = (await readEnvFile(join(dir, ".env"))).ENTRA_CLIENT_SECRET!;
        expect(result.stdout.split(secret)).toHaveLength(2);
        expect(result.stderr).not.toContain(secret);
        expect(await readFile(join(dir, "mcp-entra.json"), "utf8")).not.toContain(secret);
      }
      // Without a new secret there is nothing to show: the value in .env is not printed again.
      const secret = (await readEnvFile(join(dir, ".env"))).ENTRA_CLIENT_SECRET!;
      const again = await run(["register", "--preset", "remote", "--dir", dir, "--show-secret"]);
      expect(again.stdout).not.toContain(secret);
    });

    it("--dry-run changes no file and no Graph object, in a new folder and in a registered one", async () => {
      const fresh = await tempDir("mcp-entra-project-");
      const snapshot = async (folder: string) =>
        Promise.all(
          (await readdir(folder)).sort().map(async (name) => {
            const path = join(folder, name);
            return [name, await readFile(path, "utf8"), (await stat(path)).mtimeMs];
          }),
        );
      const before = await snapshot(dir);
      const stateBefore = JSON.stringify((await tenant.state()).applications);
      await tenant.clearLog();
      for (const [folder, extra] of [
        [fresh, ["--admin-consent"]],
        [dir, ["--new-secret", "--name", "renamed"]],
      ] as const) {
        const plan = await run(["register", "--preset", "remote", "--dir", folder, "--dry-run", ...extra]);
        expect(plan.code).toBe(0);
        expect(plan.stdout).toContain("nothing was written");
        if (folder === fresh) expect(plan.stdout).toContain("POST /oauth2PermissionGrants");
      }
      expect(await readdir(fresh)).toEqual([]);
      expect(await snapshot(dir)).toEqual(before);
      expect(await tenant.graphLog({ writesOnly: true })).toEqual([]);
      expect(JSON.stringify((await tenant.state()).applications)).toBe(stateBefore);
    });
  });
});
