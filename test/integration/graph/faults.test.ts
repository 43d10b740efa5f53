import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { trustedFetch } from "../../../src/entra/trust.js";
import { VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import { type DevTenant, startDevTenant } from "../../../src/tenant/index.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { appOnlyGraphClient, expectGraphError, graphFailure } from "../../helpers/graph.js";

async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    return (error as { statusCode: number }).statusCode;
  }
}

function admin(t: DevTenant, method: string, path: string, body?: unknown, token = t.adminToken) {
  return trustedFetch([t.caPem])(`${t.url}/_admin${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("Graph fault injection", () => {
  const tenant = useDevTenant();
  let graph: Client;

  beforeAll(async () => {
    graph = appOnlyGraphClient(tenant(), await tenant().createGraphAdminApp());
  });
  afterEach(() => {
    tenant().setFaults(undefined);
  });

  it("is off by default", async () => {
    const statuses = [];
    for (let index = 0; index < 10; index++)
      statuses.push(await statusOf(graph.api("/applications").top(1).get()));
    expect(statuses.every((status) => status === 200)).toBe(true);
  });

  it("answers 429 TooManyRequests with Retry-After, 503 and 504 — on Graph only", async () => {
    const t = tenant();
    t.setFaults("429:1,retry-after:7");
    const throttled = await graphFailure(graph.api("/applications").get());
    expect([throttled.statusCode, throttled.code]).toEqual([429, "TooManyRequests"]);
    expect(throttled.headers?.get("retry-after")).toBe("7");

    t.setFaults("503:1,retry-after:3");
    const unavailable = await graphFailure(graph.api("/applications").get());
    expect([unavailable.statusCode, unavailable.code]).toEqual([503, "serviceNotAvailable"]);
    expect(unavailable.headers?.get("retry-after")).toBe("3");

    t.setFaults({ gatewayTimeoutRate: 1 });
    expect((await graphFailure(graph.api("/applications").get())).statusCode).toBe(504);

    // The token endpoint is never faulted: msal would block the client for a minute on a 429/5xx.
    t.clearRequestLog();
    t.setFaults("429:1");
    const fresh = appOnlyGraphClient(t, await t.createGraphAdminApp({ displayName: "fresh" }));
    expect(await statusOf(fresh.api("/applications").get())).toBe(429);
    expect(t.requestLog().map((entry) => [entry.kind, entry.status, entry.fault])).toEqual([
      ["identity", 200, undefined],
      ["identity", 200, undefined],
      ["graph", 429, "429"],
    ]);
  });

  it("is reproducible: the same seed fails the same requests", async () => {
    const t = tenant();
    const run = async (spec: string) => {
      t.setFaults(spec);
      const statuses = [];
      for (let index = 0; index < 20; index++)
        statuses.push(await statusOf(graph.api("/applications").top(1).get()));
      return statuses;
    };
    const first = await run("429:0.3,503:0.1,seed:42");
    expect(await run("429:0.3,503:0.1,seed:42")).toEqual(first);
    expect(first).toContain(200);
    expect(first).toContain(429);
    expect(await run("429:0.3,503:0.1,seed:7")).not.toEqual(first);
  });

  it("adds latency to Graph requests", async () => {
    const t = tenant();
    t.setFaults("latency:120");
    t.clearRequestLog();
    await graph.api("/applications").top(1).get();
    const entry = t.requestLog({ kind: "graph" })[0]!;
    expect(entry.durationMs).toBeGreaterThanOrEqual(115);
  });

  describe("replication delay", () => {
    it("hides a new application for the window: 404 on read, PATCH, addPassword, owners; absent from lists", async () => {
      const t = tenant();
      t.setFaults("replication:30000");
      const app = await graph.api("/applications").post({ displayName: "just-created" });
      const notFound = "Request_ResourceNotFound";
      await expectGraphError(graph.api(`/applications/${app.id}`).get(), 404, notFound);
      await expectGraphError(graph.api(`/applications(appId='${app.appId}')`).get(), 404, notFound);
      await expectGraphError(graph.api(`/applications/${app.id}`).patch({ notes: "x" }), 404, notFound);
      await expectGraphError(graph.api(`/applications/${app.id}/addPassword`).post({}), 404, notFound);
      await expectGraphError(graph.api(`/applications/${app.id}/owners`).get(), 404, notFound);
      expect((await graph.api("/applications").filter(`appId eq '${app.appId}'`).get()).value).toEqual([]);
      const sp = await expectGraphError(
        graph.api("/servicePrincipals").post({ appId: app.appId }),
        400,
        "Request_BadRequest",
      );
      expect(sp.details).toEqual([expect.objectContaining({ code: "NoBackingApplicationObject" })]);
      expect(
        t.requestLog({ kind: "graph" }).filter((entry) => entry.fault === "replication").length,
      ).toBeGreaterThanOrEqual(6);

      t.clock.advance(30_000);
      expect((await graph.api(`/applications/${app.id}`).get()).id).toBe(app.id);
      await graph.api(`/applications/${app.id}`).patch({ notes: "replicated" });
      expect((await graph.api("/servicePrincipals").post({ appId: app.appId })).appId).toBe(app.appId);
    });

    it("answers the misleading 403 to a caller authorised through ownership", async () => {
      const t = tenant();
      t.setFaults("replication:30000");
      const ownedBy = appOnlyGraphClient(
        t,
        await t.createGraphAdminApp({ displayName: "owned-by", roles: ["Application.ReadWrite.OwnedBy"] }),
      );
      const app = await ownedBy.api("/applications").post({ displayName: "owned, replicating" });
      await expectGraphError(
        ownedBy.api("/servicePrincipals").post({ appId: app.appId }),
        403,
        "Authorization_RequestDenied",
        "When using this permission, the backing application of the service principal being created must in the local tenant",
      );
      t.clock.advance(30_000);
      expect((await ownedBy.api("/servicePrincipals").post({ appId: app.appId })).appId).toBe(app.appId);
    });

    it("fails grants and role assignments that name a new service principal, and pre-authorizing a new scope", async () => {
      const t = tenant();
      const roleId = randomUUID();
      const api = await graph.api("/applications").post({
        displayName: "replicating api",
        appRoles: [
          {
            id: roleId,
            value: "Tools.Call",
            displayName: "Call",
            description: "Call",
            allowedMemberTypes: ["Application"],
            isEnabled: true,
          },
        ],
      });
      t.setFaults("replication:30000");
      const sp = await graph.api("/servicePrincipals").post({ appId: api.appId });
      const msGraph = await graph
        .api("/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')")
        .get();
      await expectGraphError(
        graph.api("/oauth2PermissionGrants").post({
          clientId: sp.id,
          consentType: "AllPrincipals",
          resourceId: msGraph.id,
          scope: "User.Read",
        }),
        400,
        "Request_BadRequest",
      );
      await expectGraphError(
        graph
          .api(`/servicePrincipals/${sp.id}/appRoleAssignedTo`)
          .post({ principalId: sp.id, resourceId: sp.id, appRoleId: roleId }),
        404,
        "Request_ResourceNotFound",
      );

      const scopeId = randomUUID();
      t.clock.advance(30_000);
      await graph.api(`/applications/${api.id}`).patch({
        api: {
          oauth2PermissionScopes: [
            {
              id: scopeId,
              value: "access_as_user",
              type: "User",
              isEnabled: true,
              adminConsentDisplayName: "a",
              adminConsentDescription: "a",
            },
          ],
        },
      });
      const preAuthorize = () =>
        graph.api(`/applications/${api.id}`).patch({
          api: {
            preAuthorizedApplications: [{ appId: VSCODE_CLIENT_ID, delegatedPermissionIds: [scopeId] }],
          },
        });
      await expectGraphError(preAuthorize(), 400, "InvalidValue");
      t.clock.advance(30_000);
      await preAuthorize();
      await graph
        .api("/oauth2PermissionGrants")
        .post({ clientId: sp.id, consentType: "AllPrincipals", resourceId: msGraph.id, scope: "User.Read" });
    });
  });

  describe("configuration", () => {
    it("is changed at runtime through the admin API, which needs the admin token", async () => {
      const t = tenant();
      expect((await admin(t, "PUT", "/faults", { spec: "429:1" }, "wrong-token")).status).toBe(401);
      const put = await admin(t, "PUT", "/faults", { spec: "429:1,retry-after:2,seed:9" });
      expect(await put.json()).toMatchObject({ throttleRate: 1, retryAfterSeconds: 2, seed: 9 });
      expect(await statusOf(graph.api("/applications").get())).toBe(429);
      expect(await (await admin(t, "GET", "/faults")).json()).toMatchObject({ throttleRate: 1 });
      const bad = await admin(t, "PUT", "/faults", { spec: "429:2,teapot:1" });
      expect(bad.status).toBe(400);
      expect((await bad.json()).message).toMatch(/429 must be a rate from 0 to 1; unknown fault 'teapot'/);
      expect((await admin(t, "DELETE", "/faults")).status).toBe(200);
      expect(await statusOf(graph.api("/applications").get())).toBe(200);
      const partial = await admin(t, "PUT", "/faults", { unavailableRate: 1 });
      expect(await partial.json()).toMatchObject({ unavailableRate: 1, throttleRate: 0 });
      expect(await statusOf(graph.api("/applications").get())).toBe(503);
    });

    it("is set when the tenant starts", async () => {
      const home = await tempDir();
      const t = await startDevTenant({
        home,
        port: 0,
        faults: "429:0.2,503:0.05,latency:50,replication:3000,seed:42",
      });
      try {
        expect(t.ctx.faults.config).toEqual({
          throttleRate: 0.2,
          unavailableRate: 0.05,
          gatewayTimeoutRate: 0,
          latencyMs: 50,
          replicationMs: 3000,
          secretPropagationMs: 0,
          consentPropagationMs: 0,
          retryAfterSeconds: 1,
          seed: 42,
        });
      } finally {
        await t.stop();
        await rm(home, { recursive: true, force: true });
      }
      await expect(startDevTenant({ home, port: 0, faults: "503:lots" })).rejects.toThrow(
        /Invalid fault spec/,
      );
      await rm(home, { recursive: true, force: true });
    });
  });
});
