import type { Client } from "@microsoft/microsoft-graph-client";
import { beforeAll, describe, expect, it } from "vitest";
import { trustedFetch } from "../../../src/entra/trust.js";
import type { RequestLogEntry } from "../../../src/tenant/index.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { appOnlyGraphClient, graphFailure } from "../../helpers/graph.js";

describe("the request log", () => {
  const tenant = useDevTenant();
  let graph: Client;
  let adminSecret: string;

  beforeAll(async () => {
    const credentials = await tenant().createGraphAdminApp();
    adminSecret = credentials.secret;
    graph = appOnlyGraphClient(tenant(), credentials);
  });

  it("counts the Graph calls and writes a sequence of commands made, with status and duration", async () => {
    const t = tenant();
    t.clearRequestLog();
    const app = await graph.api("/applications").post({ displayName: "logged" });
    await graph.api(`/applications/${app.id}`).patch({ identifierUris: [`api://${app.appId}`] });
    const secret = await graph.api(`/applications/${app.id}/addPassword`).post({});
    await graph.api("/servicePrincipals").post({ appId: app.appId });
    await graph.api("/applications").filter(`appId eq '${app.appId}'`).get();
    await graphFailure(graph.api("/applications/00000000-0000-0000-0000-000000000001").get());

    const calls = t.requestLog({ kind: "graph" });
    expect(calls.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
      ["POST", "/v1.0/applications", 201],
      ["PATCH", `/v1.0/applications/${app.id}`, 204],
      ["POST", `/v1.0/applications/${app.id}/addPassword`, 200],
      ["POST", "/v1.0/servicePrincipals", 201],
      ["GET", "/v1.0/applications", 200],
      ["GET", "/v1.0/applications/00000000-0000-0000-0000-000000000001", 404],
    ]);
    expect(calls[4]!.query).toBe(`$filter=appId eq '${app.appId}'`);
    expect(t.requestLog({ kind: "graph", writesOnly: true })).toHaveLength(4);
    expect(calls.every((entry) => entry.durationMs >= 0 && entry.at <= new Date().toISOString())).toBe(true);

    const identity = t.requestLog({ kind: "identity" });
    expect(identity.map((entry) => entry.path)).toContain(`/${t.tenantId}/oauth2/v2.0/token`);
    expect(identity.every((entry) => entry.query === undefined && !entry.path.includes("?"))).toBe(true);

    const everything = JSON.stringify(t.requestLog());
    expect(everything).not.toContain(secret.secretText);
    expect(everything).not.toContain(adminSecret);
    expect(everything).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });

  it("is readable and clearable through the admin API (which it does not log)", async () => {
    const t = tenant();
    const adminApi = (method: string, query = "") =>
      trustedFetch([t.caPem])(`${t.url}/_admin/requests${query}`, {
        method,
        headers: { Authorization: `Bearer ${t.adminToken}` },
      });
    t.clearRequestLog();
    await graph.api("/applications").top(1).get();
    const listed = (await (await adminApi("GET", "?kind=graph")).json()) as { value: RequestLogEntry[] };
    expect(listed.value.map((entry) => entry.path)).toEqual(["/v1.0/applications"]);
    expect(((await (await adminApi("GET", "?writes=true")).json()) as { value: unknown[] }).value).toEqual(
      [],
    );
    expect((await adminApi("DELETE")).status).toBe(204);
    expect(((await (await adminApi("GET")).json()) as { value: unknown[] }).value).toEqual([]);
    expect(
      (
        await trustedFetch([t.caPem])(`${t.url}/_admin/requests`, {
          headers: { Authorization: "Bearer nope" },
        })
      ).status,
    ).toBe(401);
  });
});
