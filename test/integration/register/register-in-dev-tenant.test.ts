import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { registerInDevTenant } from "../../../src/index.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";

/** The programmatic API generated projects' tests use: the real register, silently, in-process. */
describe("registerInDevTenant", () => {
  const tenant = useDevTenant();
  let dir: string;
  let appId: string | undefined;
  beforeAll(async () => {
    dir = join(await tempDir("mcp-entra-project-"), "not-yet-there");
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("registers like `register --preset proxy` and returns the record and the .env it wrote, printing nothing", async () => {
    const writes = [vi.spyOn(process.stdout, "write"), vi.spyOn(process.stderr, "write")];
    const serverUrl = "http://localhost:3999/mcp";
    const { app, env, warnings } = await registerInDevTenant(tenant(), { preset: "proxy", dir, serverUrl });
    for (const write of writes) expect(write).not.toHaveBeenCalled();
    appId = app.appId;
    expect(warnings).toEqual([]);
    expect(app).toMatchObject({
      preset: "proxy",
      appIdUri: `api://${app.appId}`,
      scopes: [`api://${app.appId}/user_impersonation`],
      roles: ["Tools.Read", "Tools.Admin"],
    });
    const registered = tenant().store.state.applications.find((candidate) => candidate.appId === app.appId)!;
    expect(registered.web.redirectUris).toEqual(["http://localhost:3999/oauth/callback"]);
    expect(env).toMatchObject({
      ENTRA_TENANT_ID: tenant().tenantId,
      ENTRA_AUTHORITY_HOST: tenant().url,
      NODE_EXTRA_CA_CERTS: tenant().caFile,
      ENTRA_CLIENT_ID: app.appId,
      ENTRA_APP_ID_URI: app.appIdUri,
      MCP_SERVER_URL: serverUrl,
      MCP_SCOPE: app.scopes[0],
      PORT: "3999",
    });
    expect(env.ENTRA_CLIENT_SECRET).toMatch(/^.{3}8Q~/);
    expect(await readFile(join(dir, ".env"), "utf8")).toContain(env.ENTRA_CLIENT_SECRET);
  });

  it("updates the same registration when run again (one sign-in, no Graph writes)", async () => {
    tenant().clearRequestLog();
    const again = await registerInDevTenant(tenant(), {
      preset: "proxy",
      dir,
      serverUrl: "http://localhost:3999/mcp",
    });
    expect(tenant().requestLog({ kind: "graph", writesOnly: true })).toEqual([]);
    expect(tenant().requestLog({ kind: "identity" })).toEqual([]);
    expect(again.app.appId).toBe(appId);
    expect(
      tenant().store.state.applications.filter((app) => app.displayName.endsWith("(MCP proxy)")),
    ).toHaveLength(1);
  });
});
