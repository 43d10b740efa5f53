import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { AZURE_CLI_CLIENT_ID } from "../../../src/entra/well-known.js";
import { newApplication, newServicePrincipal } from "../../../src/tenant/directory/object-factories.js";
import { startDevTenant } from "../../../src/tenant/index.js";
import { verifyPassword } from "../../../src/tenant/secrets/passwords.js";
import { TenantAdminClient } from "../../../src/tenant/server/admin-client.js";
import { tempDir } from "../../helpers/dev-tenant.js";

const GRAPH_USER_READ = "https://graph.microsoft.com/User.Read";

async function jwks(url: string, caPem: string): Promise<JSONWebKeySet> {
  const { trustedFetch } = await import("../../../src/entra/trust.js");
  return (await (await trustedFetch([caPem])(url)).json()) as JSONWebKeySet;
}

describe("dev tenant state across a restart", () => {
  it("keeps users, apps, settings and signing keys; tokens from before still verify", async () => {
    const home = await tempDir();
    let tenant = await startDevTenant({ home, port: 0 });
    try {
      const admin = TenantAdminClient.for(tenant.url, tenant.adminToken, tenant.caPem);
      await admin.addUser({ alias: "kept", displayName: "Kept User", password: "S3cret!kept", admin: true });
      const now = new Date().toISOString();
      const app = await tenant.store.commit((state) => {
        const application = newApplication({ displayName: "kept app" }, now);
        state.applications.push(application);
        state.servicePrincipals.push(newServicePrincipal(state, application, now));
        return application;
      });
      const user = `adele@${tenant.domain}`;
      const before = await tenant.issueToken({ clientId: AZURE_CLI_CLIENT_ID, scope: GRAPH_USER_READ, user });
      const rotated = await admin.rotateKeys();
      await admin.setAutoApprove("kept");
      const tenantId = tenant.tenantId;
      await tenant.stop();

      tenant = await startDevTenant({ home, port: 0 });
      const state = tenant.store.state;
      expect(tenant.tenantId).toBe(tenantId);
      const kept = state.users.find((candidate) => candidate.userPrincipalName === `kept@${tenant.domain}`);
      expect(kept?.displayName).toBe("Kept User");
      expect(state.administrators).toContain(kept!.id);
      expect(verifyPassword("S3cret!kept", state.userPasswordHashes[kept!.id]!)).toBe(true);
      expect(state.applications.map((candidate) => candidate.appId)).toContain(app.appId);
      expect(state.servicePrincipals.map((candidate) => candidate.appId)).toContain(app.appId);
      expect(state.settings.autoApproveUserId).toBe(kept!.id);

      const keySet = await jwks(tenant.urls.jwks, tenant.caPem);
      expect(keySet.keys.map((key) => key.kid).sort()).toEqual(rotated.keys.map((key) => key.kid).sort());
      const verified = await jwtVerify(before.access_token, createLocalJWKSet(keySet), {
        issuer: tenant.urls.v1Issuer,
      });
      expect(verified.payload.tid).toBe(tenantId);
      const after = await tenant.issueToken({ clientId: AZURE_CLI_CLIENT_ID, scope: GRAPH_USER_READ, user });
      expect(decodeProtectedHeader(after.access_token).kid).toBe(rotated.active);
    } finally {
      await tenant.stop();
      await rm(home, { recursive: true, force: true });
    }
  });

  it("lets one tenant at a time serve a home folder, and cleans up after a crashed one", async () => {
    const home = await tempDir();
    const dir = join(home, "dev-tenant");
    try {
      const first = await startDevTenant({ home, port: 0 });
      const runtime = JSON.parse(await readFile(join(dir, "runtime.json"), "utf8"));
      expect(runtime).toMatchObject({ pid: process.pid, phase: "running", url: first.url });
      await expect(startDevTenant({ home, port: 0 })).rejects.toMatchObject({
        code: "TENANT_ALREADY_RUNNING",
      });
      await first.stop();
      await expect(readFile(join(dir, "runtime.json"))).rejects.toMatchObject({ code: "ENOENT" });

      // A runtime file left by a process that is gone does not block the next start.
      const stale = { ...runtime, pid: await deadPid() };
      await writeFile(join(dir, "runtime.json"), JSON.stringify(stale));
      const second = await startDevTenant({ home, port: 0 });
      await second.stop();
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it("refuses to start from a state file that is not JSON, naming the fix", async () => {
    const home = await tempDir();
    try {
      const tenant = await startDevTenant({ home, port: 0 });
      await tenant.stop();
      await writeFile(join(home, "dev-tenant", "state.json"), '{"schemaVersion": 1, "tenant"');
      await expect(startDevTenant({ home, port: 0 })).rejects.toMatchObject({
        code: "TENANT_STATE_UNREADABLE",
        exitCode: 1,
        suggestion: expect.stringContaining("tenant reset --yes"),
      });
      // The failed start released the folder.
      await expect(readFile(join(home, "dev-tenant", "runtime.json"))).rejects.toMatchObject({
        code: "ENOENT",
      });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, ["-e", "0"]);
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}
