import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { selfSignedCertificate, type TestCertificate } from "../../helpers/certificate.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { confidentialClient } from "../../helpers/msal-clients.js";
import { assertNoDuplicates, projectFiles, registerWith } from "../../helpers/registration.js";
import { testUser } from "../../helpers/sign-in-fixtures.js";

describe("register --credential certificate", () => {
  const tenant = useDevTenant();
  let home: string;
  let dir: string;
  const register = registerWith(tenant, () => home);

  beforeAll(async () => {
    home = await tempDir();
    dir = await tempDir("mcp-entra-project-");
  });

  async function pemFile(certificate: TestCertificate, name: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, `${certificate.certPem}\n${certificate.privateKeyPem}\n`, { mode: 0o600 });
    return path;
  }

  /** The API's on-behalf-of call to Graph, authenticated with the certificate. */
  async function oboWith(t: DevTenant, appId: string, certificate: TestCertificate) {
    const { access_token } = await t.issueToken({
      clientId: VSCODE_CLIENT_ID,
      scope: `api://${appId}/user_impersonation`,
      user: testUser(t, "alex").userPrincipalName,
    });
    const { msal } = confidentialClient(t, {
      clientId: appId,
      clientCertificate: {
        thumbprintSha256: certificate.sha256Hex,
        privateKey: certificate.privateKeyPem,
        x5c: certificate.certPem,
      },
    });
    return msal.acquireTokenOnBehalfOf({
      oboAssertion: access_token,
      scopes: ["https://graph.microsoft.com/User.Read"],
    });
  }

  it("adds the certificate as a key credential (in place of the managed secret); msal signs in with it", async () => {
    const t = tenant();
    const first = await register(dir, { preset: "remote" });
    const appId = first.result.outcome.app.appId;
    const certificate = await selfSignedCertificate("CN=mcp server");
    const path = await pemFile(certificate, "cert.pem");

    tenant().clearRequestLog();
    const { result } = await register(dir, {
      preset: "remote",
      credential: "certificate",
      certificate: path,
    });
    expect(result.outcome.certificate).toEqual({ thumbprint: certificate.sha1Base64, added: true });
    const app = t.store.state.applications.find((candidate) => candidate.appId === appId)!;
    expect(app.keyCredentials).toEqual([
      expect.objectContaining({
        type: "AsymmetricX509Cert",
        usage: "Verify",
        customKeyIdentifier: certificate.sha1Base64,
        displayName: "mcp-entra remote",
      }),
    ]);
    expect(app.passwordCredentials).toEqual([]);
    const writes = t
      .requestLog({ kind: "graph", writesOnly: true })
      .map((entry) => `${entry.method} ${entry.path}`);
    // The certificate is added before the secret it replaces is removed.
    expect(writes).toEqual([
      `PATCH /v1.0/applications/${app.id}`,
      `POST /v1.0/applications/${app.id}/removePassword`,
    ]);

    const { env } = await projectFiles(dir);
    expect(env.ENTRA_CLIENT_CERTIFICATE_PATH).toBe(path);
    expect(env.ENTRA_CLIENT_SECRET).toBeUndefined();
    const token = await oboWith(t, appId, certificate);
    expect(decodeJwt(token!.accessToken)).toMatchObject({ appid: appId, appidacr: "2", scp: "User.Read" });
  });

  it("a second run makes no Graph write; another certificate is added beside the first, which keeps working", async () => {
    const t = tenant();
    const path = join(dir, "cert.pem");
    tenant().clearRequestLog();
    const again = await register(dir, { preset: "remote", credential: "certificate", certificate: path });
    expect(t.requestLog({ kind: "graph", writesOnly: true })).toEqual([]);
    expect(again.result.outcome.certificate?.added).toBe(false);

    const next = await selfSignedCertificate("CN=mcp server 2");
    await register(dir, {
      preset: "remote",
      credential: "certificate",
      certificate: await pemFile(next, "next.pem"),
    });
    const app = t.store.state.applications.find(
      (candidate) => candidate.appId === again.result.outcome.app.appId,
    )!;
    expect(app.keyCredentials.map((credential) => credential.customKeyIdentifier)).toEqual([
      again.result.outcome.certificate!.thumbprint,
      next.sha1Base64,
    ]);
    expect(await oboWith(t, app.appId, next)).toBeTruthy();
    assertNoDuplicates(t.store.state);
  });
});
