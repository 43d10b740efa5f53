import { describe, expect, it } from "vitest";
import { selfSignedCertificate } from "../../helpers/certificate.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { expectMsalEntraError } from "../../helpers/entra-error.js";
import { confidentialClient } from "../../helpers/msal-clients.js";
import { addCertificateCredential, assignAppRole, seedApp } from "../../helpers/seed-apps.js";
import { verifyTenantToken } from "../../helpers/verify-token.js";

describe("client credentials with a certificate", () => {
  const tenant = useDevTenant();

  it("gives msal-node an app-only token for a registered certificate (azpacr 2)", async () => {
    const t = tenant();
    const api = await seedApp(t, { displayName: "api", tokenVersion: 2, roles: ["Tools.Read"] });
    const daemon = await seedApp(t, { displayName: "daemon", identifierUri: false });
    await assignAppRole(t, { client: daemon.appId, resource: api.appId, role: "Tools.Read" });
    const certificate = await selfSignedCertificate();
    await addCertificateCredential(t, daemon.appId, certificate);

    const { msal } = confidentialClient(t, {
      clientId: daemon.appId,
      clientCertificate: {
        thumbprintSha256: certificate.sha256Hex,
        privateKey: certificate.privateKeyPem,
        x5c: certificate.certPem,
      },
    });
    const result = await msal.acquireTokenByClientCredential({ scopes: [`${api.uri}/.default`] });
    const { payload } = await verifyTenantToken(t, result!.accessToken, {
      issuer: t.urls.issuer,
      audience: api.appId,
    });
    expect(payload).toMatchObject({
      azp: daemon.appId,
      azpacr: "2",
      oid: daemon.servicePrincipal!.id,
      roles: ["Tools.Read"],
      tid: t.tenantId,
    });
  });

  it("accepts the legacy SHA-1 thumbprint (x5t header, RS256)", async () => {
    const t = tenant();
    const api = await seedApp(t, { displayName: "api sha1" });
    const daemon = await seedApp(t, { displayName: "daemon sha1", identifierUri: false });
    const certificate = await selfSignedCertificate();
    await addCertificateCredential(t, daemon.appId, certificate);

    const { msal, responses } = confidentialClient(t, {
      clientId: daemon.appId,
      clientCertificate: { thumbprint: certificate.sha1Hex, privateKey: certificate.privateKeyPem },
    });
    const result = await msal.acquireTokenByClientCredential({ scopes: [`${api.uri}/.default`] });
    expect(responses.at(-1)?.status).toBe(200);
    const { payload } = await verifyTenantToken(t, result!.accessToken, { audience: api.uri });
    expect(payload).toMatchObject({ appid: daemon.appId, appidacr: "2", ver: "1.0" });
  });

  it("refuses a certificate the app does not have (AADSTS700027)", async () => {
    const t = tenant();
    const api = await seedApp(t, { displayName: "api 2" });
    const daemon = await seedApp(t, { displayName: "daemon 2", identifierUri: false });
    await addCertificateCredential(t, daemon.appId, await selfSignedCertificate("CN=registered"));
    const stranger = await selfSignedCertificate("CN=not registered");

    const { msal, responses } = confidentialClient(t, {
      clientId: daemon.appId,
      clientCertificate: { thumbprintSha256: stranger.sha256Hex, privateKey: stranger.privateKeyPem },
    });
    await expectMsalEntraError(
      msal.acquireTokenByClientCredential({ scopes: [`${api.uri}/.default`] }),
      responses,
      700027,
    );
  });
});
