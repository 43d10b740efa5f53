import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRegister } from "../../src/entra/registration/run-register.js";
import { type DevTenant, startDevTenant } from "../../src/tenant/index.js";
import { captureUi } from "../helpers/capture-ui.js";
import { devTarget } from "../helpers/dev-target.js";
import { tempDir } from "../helpers/dev-tenant.js";
import { type PrmServer, startPrmServer } from "../helpers/prm-server.js";
import { assertBuilt, runCli } from "../helpers/run-cli.js";

/** `mcp-entra doctor` through the built binary: text, --json, exit codes 0 and 1. */
describe("mcp-entra doctor (built binary)", () => {
  let home: string;
  let dir: string;
  let tenant: DevTenant;
  let prm: PrmServer;

  beforeAll(async () => {
    assertBuilt();
    home = await tempDir();
    dir = await tempDir("mcp-entra-doctor-e2e-");
    // The binary finds this tenant through the runtime file in MCP_ENTRA_HOME, as it would a detached one.
    tenant = await startDevTenant({ home, port: 0 });
    prm = await startPrmServer();
    const result = await runRegister(
      { preset: "remote", dir, serverUrl: prm.url },
      { ui: captureUi().ui, target: async () => devTarget(tenant, home) },
    );
    prm.document = {
      resource: prm.url,
      authorization_servers: [tenant.urls.issuer],
      scopes_supported: [`api://${result.outcome.app.appId}/user_impersonation`],
    };
  }, 60_000);
  afterAll(async () => {
    await prm?.stop();
    await tenant?.stop();
    for (const folder of [home, dir]) if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("exit 0 without errors; the text groups checks by app with evidence and fix", async () => {
    const result = await runCli(["doctor", "--dir", dir], { home });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("remote app");
    expect(result.stdout).toMatch(/✔ token-version {2}v2 access tokens/);
    expect(result.stdout).toMatch(/! app-id-uri {2}.*AADSTS9010010/);
    expect(result.stdout).toContain(`fix: for local tests: mcp-entra test-flow ${prm.url} --no-resource`);
    expect(result.stdout).toContain("No errors (0 errors, 1 warning).");
    expect(result.stderr).toContain("Using the dev tenant");
  });

  it("exit 1 with --json when a check fails", async () => {
    await tenant.store.commit((state) => {
      for (const app of state.applications)
        if (app.api.requestedAccessTokenVersion === 2) app.api.requestedAccessTokenVersion = null;
    });
    const result = await runCli(["--json", "doctor", "--dir", dir, "--server", prm.url], { home });
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      command: "doctor",
      exitCode: 1,
      errors: 1,
      server: { source: "--server" },
    });
    expect(report.checks).toContainEqual(
      expect.objectContaining({ id: "token-version", app: "remote", status: "error" }),
    );
  });

  it("exit 2 for a folder without a registration", async () => {
    const empty = await tempDir();
    try {
      const result = await runCli(["doctor", "--dir", empty], { home });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("records no registration");
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
