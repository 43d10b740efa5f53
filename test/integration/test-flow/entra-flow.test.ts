import { rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCertificates } from "../../../src/tenant/server/certificates.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import {
  addCertificateCredential,
  addFederatedCredential,
  type EntraMcpServer,
  startEntraMcpServer,
} from "../../helpers/entra-mcp-server.js";
import { expectValidReport } from "../../helpers/report-schema.js";
import { runFlow, step } from "../../helpers/test-flow.js";

/** test-flow against an MCP server protected by the dev tenant (Entra's rules, msal-node). */
describe("test-flow against a dev-tenant-protected MCP server", () => {
  const tenant = useDevTenant();
  let server: EntraMcpServer;
  let home: string;

  beforeAll(async () => {
    server = await startEntraMcpServer(tenant());
    home = await tempDir();
  });
  afterAll(async () => {
    await server?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("completes with --auth client-credentials and a secret (msal-node, resource sent)", async () => {
    const { report, output } = await runFlow({
      serverUrl: server.url,
      home,
      auth: "client-credentials",
      clientId: server.clientAppId,
      clientSecret: server.clientSecret,
      caFile: [tenant().caFile],
      fresh: true,
    });
    expectValidReport(report);
    expect(report.exitCode, output).toBe(0);
    expect(report.authorizationServer).toEqual({ issuer: tenant().urls.issuer, kind: "dev-tenant" });
    const asStep = step(report, "authorization-server-metadata");
    expect(asStep.evidence.document).toBe("openid-configuration");
    expect(asStep.evidence.code_challenge_methods_supported).toBeNull();
    const token = step(report, "token");
    expect(token.evidence.scope).toBe(`api://${server.apiAppId}/.default`);
    expect(token.evidence.resource).toBe(server.url);
    expect(token.evidence.token).toMatchObject({
      aud: server.apiAppId,
      iss: tenant().urls.issuer,
      azp: server.clientAppId,
      roles: ["Tools.Read"],
    });
    expect(output).not.toContain(server.clientSecret);
  });

  it("completes with --token-file (a token minted by the dev tenant)", async () => {
    const t = tenant();
    const minted = await t.issueToken({
      clientId: server.clientAppId,
      scope: `api://${server.apiAppId}/access_as_user`,
      user: `adele@${t.domain}`,
    });
    const file = join(home, "token.txt");
    await writeFile(file, `${minted.access_token}\n`);
    const { report, output } = await runFlow({
      serverUrl: server.url,
      home,
      tokenFile: file,
      caFile: [t.caFile],
    });
    expectValidReport(report);
    expect(report.exitCode, output).toBe(0);
    expect(report.signIn?.method).toBe("token-file");
    expect(step(report, "client-identity").status).toBe("skipped");
    expect(step(report, "token").evidence.token).toMatchObject({
      scp: ["access_as_user"],
      aud: server.apiAppId,
    });
    expect(step(report, "tools-call").evidence.text).toContain("access_as_user");
    expect(output).not.toContain(minted.access_token);
  });

  it("trusts the dev tenant's CA from the mcp-entra home folder without --ca-file", async () => {
    const t = tenant();
    const { report } = await runFlow({
      serverUrl: server.url,
      home: dirname(t.dir),
      auth: "client-credentials",
      clientId: server.clientAppId,
      clientSecret: server.clientSecret,
      fresh: true,
    });
    expect(report.exitCode).toBe(0);
    expect(report.notes.join(" ")).toContain("dev tenant's CA");
  });

  it("completes with a certificate credential", async () => {
    const t = tenant();
    const dir = await tempDir();
    try {
      const certificate = await ensureCertificates(dir);
      await addCertificateCredential(t, server.clientApplication, certificate.certPem);
      const pem = join(dir, "client.pem");
      await writeFile(pem, `${certificate.certPem}\n${certificate.keyPem}`);
      const { report, output } = await runFlow({
        serverUrl: server.url,
        home,
        auth: "client-credentials",
        clientId: server.clientAppId,
        certificateFile: pem,
        caFile: [t.caFile],
        fresh: true,
      });
      expect(report.exitCode, output).toBe(0);
      expect(step(report, "token").evidence.credential).toBe("certificate (msal-node)");
      expect(output).not.toContain("PRIVATE KEY");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("completes with a federated token file (as in GitHub Actions)", async () => {
    const t = tenant();
    const subject = "repo:contoso/mcp:ref:refs/heads/main";
    await addFederatedCredential(t, server.clientApplication, t.urls.issuer, subject);
    const assertion = await t.issueToken({
      clientId: server.clientAppId,
      scope: `api://${server.apiAppId}/.default`,
      claims: { iss: t.urls.issuer, sub: subject, aud: "api://AzureADTokenExchange" },
    });
    const file = join(home, "federated.jwt");
    await writeFile(file, assertion.access_token);
    const { report, output } = await runFlow({
      serverUrl: server.url,
      home,
      auth: "client-credentials",
      clientId: server.clientAppId,
      federatedTokenFile: file,
      caFile: [t.caFile],
      fresh: true,
    });
    expect(report.exitCode, output).toBe(0);
    expect(step(report, "token").evidence.credential).toBe("federated token (msal-node)");
    expect(output).not.toContain(assertion.access_token);
  });

  it("explains AADSTS7000215 for a wrong secret", async () => {
    const { report, output } = await runFlow({
      serverUrl: server.url,
      home,
      auth: "client-credentials",
      clientId: server.clientAppId,
      clientSecret: "wrong-secret-value-0000",
      // A wrong secret gets the answer a fresh one gets while it propagates: no retries here.
      propagationWait: 0,
      caFile: [tenant().caFile],
      fresh: true,
    });
    expect(report.exitCode).toBe(1);
    const token = step(report, "token");
    expect(token.error?.explanations.map((item) => item.code)).toContain("AADSTS7000215");
    expect(output).toContain("mcp-entra register --new-secret");
    expect(output).not.toContain("wrong-secret-value-0000");
  });
});

describe("test-flow when the Application ID URI is not the server URL", () => {
  const tenant = useDevTenant();
  let server: EntraMcpServer;
  let home: string;

  beforeAll(async () => {
    server = await startEntraMcpServer(tenant(), { serverUrlAsIdentifierUri: false });
    home = await tempDir();
  });
  afterAll(async () => {
    await server?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("fails with AADSTS9010010 explained inline; --no-resource gets through and says so", async () => {
    const common = {
      serverUrl: server.url,
      home,
      auth: "client-credentials",
      clientId: server.clientAppId,
      clientSecret: server.clientSecret,
      caFile: [tenant().caFile],
      fresh: true,
    };
    const failing = await runFlow(common);
    expectValidReport(failing.report);
    expect(failing.report.exitCode).toBe(1);
    const explanation = step(failing.report, "token").error?.explanations[0];
    expect(explanation).toMatchObject({ code: "AADSTS9010010", field: "identifierUris" });
    expect(failing.output).toContain("--no-resource");
    expect(failing.output).toContain("identifierUris");

    const passing = await runFlow({ ...common, resource: false });
    expect(passing.report.exitCode).toBe(0);
    expect(passing.report.options?.resourceParameter).toBe(false);
    expect(step(passing.report, "token").evidence.resource).toBe("not sent (--no-resource)");
    expect(passing.output).toContain("--no-resource: the resource parameter");
  });
});
