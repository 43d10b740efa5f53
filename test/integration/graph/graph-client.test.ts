import { describe, expect, it } from "vitest";
import { createGraphClient } from "../../../src/entra/graph-client.js";
import { AZURE_CLI_CLIENT_ID } from "../../../src/entra/well-known.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { appOnlyGraphClient, graphFailure } from "../../helpers/graph.js";

describe("createGraphClient", () => {
  const tenant = useDevTenant();

  it("trusts the dev tenant's CA for this client only", async () => {
    const t = tenant();
    const token = (
      await t.issueToken({ clientId: AZURE_CLI_CLIENT_ID, scope: "User.Read", user: `adele@${t.domain}` })
    ).access_token;
    const trusting = createGraphClient({ baseUrl: t.url, caPems: [t.caPem] }, async () => token);
    expect((await trusting.api("/me").get()).userPrincipalName).toBe(`adele@${t.domain}`);
    const untrusting = createGraphClient({ baseUrl: t.url }, async () => token);
    const error = await graphFailure(untrusting.api("/me").get());
    expect(String(error.body ?? error.message)).toMatch(/fetch failed|certificate/i);
  });

  it("does not retry by itself: a 429 or 503 reaches the caller after one request", async () => {
    const t = tenant();
    const graph = appOnlyGraphClient(t, await t.createGraphAdminApp());
    await graph.api("/applications").top(1).get();
    for (const spec of ["429:1,retry-after:0", "503:1,retry-after:0", "504:1"]) {
      t.setFaults(spec);
      t.clearRequestLog();
      const error = await graphFailure(graph.api("/applications").get());
      expect(error.statusCode).toBe(Number(spec.slice(0, 3)));
      expect(t.requestLog({ kind: "graph" })).toHaveLength(1);
    }
    t.setFaults(undefined);
  });
});
