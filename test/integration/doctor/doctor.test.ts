import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnvFile, updateEnvFile } from "../../../src/core/env-file.js";
import { readProjectConfig } from "../../../src/core/project-config.js";
import { runDoctor } from "../../../src/entra/doctor/run-doctor.js";
import { runRegister } from "../../../src/entra/registration/run-register.js";
import { MICROSOFT_GRAPH_APP_ID } from "../../../src/entra/well-known.js";
import type { TenantState } from "../../../src/tenant/index.js";
import { captureUi } from "../../helpers/capture-ui.js";
import { unknownCommandsAndFlags } from "../../helpers/cli-commands.js";
import { devTarget } from "../../helpers/dev-target.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { type PrmServer, startPrmServer } from "../../helpers/prm-server.js";

/**
 * `mcp-entra doctor` on registrations made by the real `register` in a dev tenant, with a stand-in for
 * the server's metadata. Each broken variant is provoked in the tenant (through its store), in .env or
 * in the metadata; doctor must name it with its fix, and (where the fix is a register flag) running
 * that fix must make doctor clean again.
 */
describe("mcp-entra doctor", () => {
  const tenant = useDevTenant();
  let home: string;
  let dir: string;
  let prm: PrmServer;
  const register = async (flags: Record<string, unknown> = {}, folder = dir) => {
    const preset = (flags.preset as string | undefined) ?? "remote";
    const server = preset === "remote" ? { serverUrl: prm.url } : {};
    return runRegister(
      { preset, dir: folder, ...server, ...flags },
      { ui: captureUi().ui, target: async () => devTarget(tenant(), home) },
    );
  };
  const doctor = (flags: Record<string, unknown> = {}) =>
    runDoctor({ dir, ...flags }, { target: async () => devTarget(tenant(), home) });
  /** The findings that are not passed, except the one every localhost server has (see the first test). */
  const problems = async (flags: Record<string, unknown> = {}) => {
    const result = await doctor(flags);
    for (const check of result.checks.filter((c) => c.fix))
      expect(unknownCommandsAndFlags(check.fix!)).toEqual([]);
    return result.checks
      .filter(
        (check) => check.status !== "passed" && !(check.id === "app-id-uri" && check.status === "warning"),
      )
      .map((check) => ({ id: check.id, app: check.app, status: check.status }));
  };
  let uniqueNames: Record<string, string> = {};
  const appIn = (state: TenantState, preset: string) =>
    state.applications.find((a) => a.uniqueName === uniqueNames[preset])!;
  const change = (preset: string, edit: (a: TenantState["applications"][number]) => void) =>
    tenant().store.commit((state) => edit(appIn(state, preset)));
  const envOf = () => readEnvFile(join(dir, ".env"));
  const publishDefault = async () => {
    const env = await envOf();
    prm.document = {
      resource: prm.url,
      authorization_servers: [tenant().urls.issuer],
      scopes_supported: [env.MCP_SCOPE],
      bearer_methods_supported: ["header"],
    };
  };

  beforeAll(async () => {
    home = await tempDir();
    dir = await tempDir("mcp-entra-doctor-");
    prm = await startPrmServer();
    await register();
    await register({ preset: "ci" });
    const config = await readProjectConfig(dir);
    uniqueNames = Object.fromEntries(
      Object.entries(config.apps).map(([key, record]) => [key, record.uniqueName]),
    );
    await publishDefault();
  }, 60_000);
  afterAll(async () => {
    await prm?.stop();
    for (const folder of [home, dir]) if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("a fresh registration has no errors; a localhost server URL cannot be the Application ID URI (a warning)", async () => {
    const result = await doctor();
    expect(result.exitCode).toBe(0);
    expect(result.server).toMatchObject({
      url: prm.url,
      source: "MCP_SERVER_URL in .env",
      prm: expect.any(String),
    });
    expect(result.checks.filter((c) => c.status !== "passed")).toEqual([
      expect.objectContaining({
        id: "app-id-uri",
        app: "remote",
        status: "warning",
        summary: expect.stringContaining("AADSTS9010010"),
        fix: expect.stringContaining(`mcp-entra test-flow ${prm.url} --no-resource`),
      }),
    ]);
    const ids = result.checks.map((c) => `${c.app}:${c.id}`);
    for (const id of [
      "remote:token-version",
      "remote:pre-authorized-clients",
      "remote:admin-consent",
      "remote:client-secret",
      "remote:env",
      "ci:client-secret",
      "ci:env",
      "null:prm-resource",
      "null:prm-authorization-servers",
      "null:prm-scopes",
    ]) {
      expect(ids).toContain(id);
    }
  });

  it("every check passes when the server URL is an Application ID URI (what a verified domain allows)", async () => {
    // localhost can be no verified domain, so the URI goes in through the store, as Entra would allow it for one.
    await change("remote", (a) => a.identifierUris.push(prm.url));
    const result = await doctor();
    expect(result.checks.filter((c) => c.status !== "passed")).toEqual([]);
    expect(result).toMatchObject({ errors: 0, warnings: 0, exitCode: 0 });
    await change("remote", (a) => a.identifierUris.pop());
  });

  it("v1 access tokens: an error, fixed by register --token-version 2", async () => {
    await change("remote", (a) => {
      a.api.requestedAccessTokenVersion = 1;
    });
    const result = await doctor();
    expect(result.exitCode).toBe(1);
    expect(result.checks.find((c) => c.id === "token-version")).toMatchObject({
      status: "error",
      fix: "mcp-entra register --preset remote --token-version 2",
    });
    expect(await problems()).toEqual([{ id: "token-version", app: "remote", status: "error" }]);
    await register({ tokenVersion: "2" });
    expect(await problems()).toEqual([]);
  });

  it("VS Code not pre-authorized: a warning naming AADSTS65002, fixed by register", async () => {
    await register({ preAuthorizeVscode: false });
    const result = await doctor();
    expect(result.exitCode).toBe(0);
    expect(result.checks.find((c) => c.id === "pre-authorized-clients")).toMatchObject({
      status: "warning",
      summary: expect.stringContaining("AADSTS65002"),
    });
    await register();
    expect(await problems()).toEqual([]);
  });

  it("no admin consent to Graph User.Read: an error (on-behalf-of fails with AADSTS65001), fixed by register", async () => {
    const graphSp = tenant().store.state.servicePrincipals.find((sp) => sp.appId === MICROSOFT_GRAPH_APP_ID)!;
    await tenant().store.commit((state) => {
      state.oauth2PermissionGrants = state.oauth2PermissionGrants.filter((g) => g.resourceId !== graphSp.id);
    });
    const check = (await doctor()).checks.find((c) => c.id === "admin-consent");
    expect(check).toMatchObject({ status: "error", summary: expect.stringContaining("AADSTS65001") });
    expect(check?.evidence["Microsoft Graph permissions"]).toEqual(["User.Read"]);
    expect(await problems()).toEqual([{ id: "admin-consent", app: "remote", status: "error" }]);
    await register();
    expect(await problems()).toEqual([]);
  });

  it("a secret that expires soon is a warning, an expired one an error; register --new-secret fixes it", async () => {
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    await change("ci", (a) => {
      a.passwordCredentials[0]!.endDateTime = inDays(10);
    });
    expect(await problems()).toEqual([{ id: "client-secret", app: "ci", status: "warning" }]);
    await change("ci", (a) => {
      a.passwordCredentials[0]!.endDateTime = inDays(-1);
    });
    const check = (await doctor()).checks.find((c) => c.app === "ci" && c.id === "client-secret");
    expect(check).toMatchObject({ status: "error", summary: expect.stringContaining("AADSTS7000222") });
    expect(check?.fix).toContain("mcp-entra register --preset ci --new-secret");
    await register({ preset: "ci", newSecret: true });
    expect(await problems()).toEqual([]);
  });

  it(".env values that differ from the registration: one error per variable, the secret never shown", async () => {
    const before = await readFile(join(dir, ".env"), "utf8");
    await updateEnvFile(join(dir, ".env"), {
      ENTRA_CLIENT_ID: "00000000-0000-0000-0000-00000000beef",
      ENTRA_CLIENT_SECRET: "xyz-not-the-registered-secret",
    });
    const result = await doctor();
    expect(await problems()).toEqual([
      { id: "env-ENTRA_CLIENT_ID", app: "remote", status: "error" },
      { id: "env-ENTRA_CLIENT_SECRET", app: "remote", status: "error" },
    ]);
    expect(JSON.stringify(result)).not.toContain("xyz-not-the-registered-secret");
    expect(result.checks.find((c) => c.id === "env-ENTRA_CLIENT_SECRET")?.evidence[".env"]).toBe("xyz…");
    await writeFile(join(dir, ".env"), before);
    expect(await problems()).toEqual([]);
  });

  it("the server's metadata: another resource, a wrong issuer, bare scopes, or none to read", async () => {
    prm.document.resource = `${prm.url}/other`;
    prm.document.authorization_servers = [`https://sts.windows.net/${tenant().tenantId}/`];
    prm.document.scopes_supported = ["user_impersonation"];
    const result = await doctor();
    expect(await problems()).toEqual([
      { id: "prm-resource", app: null, status: "error" },
      { id: "prm-authorization-servers", app: null, status: "error" },
      { id: "prm-scopes", app: null, status: "error" },
    ]);
    expect(result.checks.find((c) => c.id === "prm-scopes")?.summary).toContain("AADSTS650053");
    expect(result.checks.find((c) => c.id === "prm-authorization-servers")?.evidence.expected).toBe(
      tenant().urls.issuer,
    );
    await publishDefault();
    const closed = (await doctor({ server: "http://localhost:9/mcp" })).checks.find((c) => c.id === "prm");
    expect(closed).toMatchObject({ status: "warning", fix: expect.stringContaining("start the server") });
    const before = await readFile(join(dir, ".env"), "utf8");
    await writeFile(join(dir, ".env"), before.replace(/^MCP_SERVER_URL=.*$/m, ""));
    const unread = await doctor();
    expect(unread.server).toMatchObject({ source: "mcp-entra.json", prm: null });
    expect(unread.checks.find((c) => c.id === "prm")).toMatchObject({ status: "skipped" });
    expect(unread.checks.find((c) => c.id === "app-id-uri")?.summary).toContain(
      "the server URL (mcp-entra.json)",
    );
    await writeFile(join(dir, ".env"), before);
  });

  it("an Application ID URI that is not the public server URL: an error, fixed by register --server-url", async () => {
    const publicUrl = `https://mcp.${tenant().domain}/mcp`;
    prm.document.resource = publicUrl;
    const check = (await doctor()).checks.find((c) => c.id === "app-id-uri");
    expect(check).toMatchObject({
      status: "error",
      fix: `mcp-entra register --preset remote --server-url ${publicUrl} (the host must be on a verified domain of the tenant)`,
    });
    await register({ serverUrl: publicUrl });
    expect(appIn(tenant().store.state, "remote").identifierUris).toEqual([publicUrl]);
    const fixed = (await doctor()).checks.find((c) => c.id === "app-id-uri");
    expect(fixed?.status).toBe("passed");
    await register();
    await publishDefault();
    expect(await problems()).toEqual([]);
  });

  it("a local client: loopback redirect under web, public client flows off", async () => {
    const local = await tempDir("mcp-entra-doctor-local-");
    try {
      await register({ preset: "local" }, local);
      const run = () => runDoctor({ dir: local }, { target: async () => devTarget(tenant(), home) });
      expect((await run()).exitCode).toBe(0);
      const name = (await readProjectConfig(local)).apps.local!.uniqueName;
      await tenant().store.commit((state) => {
        const a = state.applications.find((candidate) => candidate.uniqueName === name)!;
        a.web.redirectUris = a.publicClient.redirectUris;
        a.publicClient.redirectUris = [];
        a.isFallbackPublicClient = false;
      });
      const broken = await run();
      expect(broken.exitCode).toBe(1);
      expect(broken.checks.filter((c) => c.status !== "passed").map((c) => [c.id, c.status])).toEqual([
        ["redirect-platforms", "error"],
        ["public-client-flows", "error"],
      ]);
      await register({ preset: "local" }, local);
      expect((await run()).checks.every((c) => c.status === "passed")).toBe(true);
    } finally {
      await rm(local, { recursive: true, force: true });
    }
  });
});
