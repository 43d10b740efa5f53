import { rm } from "node:fs/promises";
import { dirname } from "node:path";
import express from "express";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevTenant } from "../../../src/tenant/index.js";
import { renderJunit } from "../../../src/test-flow/report/report-junit.js";
import { PROBE_STEPS } from "../../../src/test-flow/report/step-ids.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { type EntraMcpServer, startEntraMcpServer } from "../../helpers/entra-mcp-server.js";
import { close, listen, mcpHandler } from "../../helpers/mcp-endpoint.js";
import { expectValidReport } from "../../helpers/report-schema.js";
import { runFlow, step } from "../../helpers/test-flow.js";

const PROBES = Object.keys(PROBE_STEPS);

/** `test-flow --probe` against dev-tenant-protected servers: a sound one, and a careless one. */
describe("test-flow --probe", () => {
  const tenant = useDevTenant();
  let server: EntraMcpServer;
  let otherHome: string;
  const clientCredentials = () => ({
    auth: "client-credentials",
    clientId: server.clientAppId,
    clientSecret: server.clientSecret,
    fresh: true,
    probe: true,
  });

  beforeAll(async () => {
    server = await startEntraMcpServer(tenant());
    otherHome = await tempDir();
  });
  afterAll(async () => {
    await server?.stop();
    await rm(otherHome, { recursive: true, force: true });
  });

  it("passes every probe against a server that validates tokens (tokens minted by the dev tenant)", async () => {
    const home = dirname(tenant().dir);
    const { report, output } = await runFlow({ serverUrl: server.url, home, ...clientCredentials() });
    expectValidReport(report);
    expect(report.exitCode, output).toBe(0);
    expect(report.options?.probe).toBe(true);
    const probes = report.steps.filter((s) => s.id.startsWith("probe-"));
    expect(probes.map((s) => [s.id, s.status])).toEqual(PROBES.map((id) => [id, "passed"]));
    expect(report.steps.findIndex((s) => s.id === "probe-no-token")).toBe(
      report.steps.findIndex((s) => s.id === "tools-call") + 1,
    );
    expect(step(report, "probe-no-token").evidence).toMatchObject({ status: 401 });
    expect(step(report, "probe-wrong-audience").evidence.token).toMatchObject({
      aud: "https://graph.microsoft.com",
    });
    expect(step(report, "probe-expired-token").evidence.obtained).toContain("expired");
    expect(step(report, "probe-insufficient-scope").summary).toContain("403 insufficient_scope");
    expect(String(step(report, "probe-token-in-query").evidence.requests)).toContain(
      "access_token in the query",
    );
    expect(step(report, "probe-wrong-issuer").evidence.obtained).toMatch(
      /signed with its key, but with iss https:\/\/localhost:\d+\/[0-9a-f-]{36}\/v2\.0/,
    );
    expect(step(report, "probe-unpublished-key").evidence.obtained).toContain("kid");
    expect(step(report, "probe-alg-none").evidence.obtained).toContain("alg none");
    expect(output).toContain("Probes (--probe)");
    expect(output).not.toMatch(/eyJ[\w-]+\.eyJ/);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(renderJunit(report));
    const cases = junit.testsuites.testsuite.testcase as { "@_name": string; "@_classname": string }[];
    expect(
      cases.filter((c) => c["@_classname"] === "mcp-entra.test-flow.probe").map((c) => c["@_name"]),
    ).toEqual(PROBES);
  });

  it("without the dev tenant's admin token: a Graph token via client credentials; the rest skipped, with why", async () => {
    const { report, output } = await runFlow({
      serverUrl: server.url,
      home: otherHome,
      caFile: [tenant().caFile],
      ...clientCredentials(),
    });
    expectValidReport(report);
    expect(report.exitCode, output).toBe(0);
    expect(step(report, "probe-wrong-audience")).toMatchObject({
      status: "passed",
      evidence: { obtained: expect.stringContaining("client credentials for Microsoft Graph") },
    });
    for (const id of ["probe-expired-token", "probe-wrong-issuer", "probe-insufficient-scope"]) {
      expect(step(report, id).status).toBe("skipped");
      expect(step(report, id).summary).toMatch(/admin token .* is not at hand/);
    }
    expect(output).toMatch(
      /- Probe: expired token {2}The dev tenant at https:\/\/localhost:\d+ does not run from/,
    );
  });

  it("a server that forgets the iss check accepts the dev tenant's token from another issuer: only that probe fails", async () => {
    const forgetful = await startEntraMcpServer(tenant(), { skipIssuerCheck: true });
    try {
      const { report } = await runFlow({
        serverUrl: forgetful.url,
        home: dirname(tenant().dir),
        auth: "client-credentials",
        clientId: forgetful.clientAppId,
        clientSecret: forgetful.clientSecret,
        fresh: true,
        probe: true,
      });
      expect(report.exitCode).toBe(1);
      expect(PROBES.filter((id) => step(report, id).status === "failed")).toEqual(["probe-wrong-issuer"]);
      expect(step(report, "probe-wrong-issuer").error?.code).toBe("PROBE_TOKEN_ACCEPTED");
    } finally {
      await forgetful.stop();
    }
  });

  describe("against a careless server", () => {
    let careless: { url: string; stop(): Promise<void> };
    beforeAll(async () => {
      careless = await startCarelessServer(tenant(), server);
    });
    afterAll(() => careless?.stop());

    it("fails each probe the server gets wrong, and only those (exit code 1)", async () => {
      const home = dirname(tenant().dir);
      const { report, output } = await runFlow({
        serverUrl: careless.url,
        home,
        ...clientCredentials(),
        resource: false,
      });
      expectValidReport(report);
      expect(report.exitCode).toBe(1);
      expect(step(report, "tools-call").status, output).toBe("passed");
      const status = (id: string) => step(report, id).status;
      expect(PROBES.filter((id) => status(id) === "failed")).toEqual([
        "probe-no-token",
        "probe-malformed-token",
        "probe-wrong-audience",
        "probe-expired-token",
        "probe-wrong-issuer",
        "probe-unpublished-key",
        "probe-alg-none",
        "probe-insufficient-scope",
        "probe-token-in-query",
      ]);
      for (const id of ["probe-wrong-issuer", "probe-unpublished-key", "probe-alg-none"]) {
        expect(step(report, id).error?.code).toBe("PROBE_TOKEN_ACCEPTED");
      }
      expect(step(report, "probe-no-token").error?.code).toBe("PROBE_NO_RESOURCE_METADATA");
      expect(step(report, "probe-expired-token").error?.code).toBe("PROBE_TOKEN_ACCEPTED");
      expect(step(report, "probe-insufficient-scope").error?.code).toBe("PROBE_SCOPE_NOT_ENFORCED");
      expect(step(report, "probe-token-in-query").error?.code).toBe("PROBE_QUERY_TOKEN_ACCEPTED");
      expect(output).toContain("Failed at Probe: no token (exit code 1).");
    });

    it("fails the PRM probe when the metadata names another resource", async () => {
      const { report } = await runFlow({
        serverUrl: `${careless.url}?prm=elsewhere`,
        home: dirname(tenant().dir),
        ...clientCredentials(),
        resource: false,
      });
      expect(step(report, "protected-resource-metadata").status).toBe("failed");
      expect(step(report, "probe-prm-resource").error?.code).toBe("PRM_RESOURCE_MISMATCH");
      expect(step(report, "probe-token-in-query").summary).toContain("the flow did not get one");
    });
  });
});

/**
 * A server that checks nothing: any Bearer value passes, a token in the query too, and its 401 has no
 * resource_metadata. Its metadata names the fixture API, so the flow itself completes.
 */
async function startCarelessServer(tenant: DevTenant, api: EntraMcpServer) {
  const app = express();
  const { server, origin } = await listen(app);
  const url = `${origin}/mcp`;
  app.get("/.well-known/oauth-protected-resource/mcp", (req, res) => {
    res.json({
      resource: req.query.prm === "elsewhere" ? "https://elsewhere.example/mcp" : url,
      authorization_servers: [tenant.urls.issuer],
      scopes_supported: [`api://${api.apiAppId}/access_as_user`],
    });
  });
  app.use("/mcp", express.json(), (req, res, next) => {
    const bearer = req.headers.authorization?.startsWith("Bearer ");
    if (!bearer && !req.query.access_token) {
      res.status(401).set("WWW-Authenticate", "Bearer").end();
      return;
    }
    next();
  });
  app.all(
    "/mcp",
    mcpHandler(() => ({ subject: "anyone", scopes: [] })),
  );
  return { url, stop: () => close(server) };
}
