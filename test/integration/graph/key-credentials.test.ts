import type { Client } from "@microsoft/microsoft-graph-client";
import { beforeAll, describe, expect, it } from "vitest";
import type { DevTenant } from "../../../src/tenant/index.js";
import { selfSignedCertificate, type TestCertificate } from "../../helpers/certificate.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { expectMsalEntraError } from "../../helpers/entra-error.js";
import { appOnlyGraphClient, expectGraphError } from "../../helpers/graph.js";
import { confidentialClient } from "../../helpers/msal-clients.js";
import { seedApp } from "../../helpers/seed-apps.js";

interface KeyCredentialRead {
  keyId: string;
  type: string;
  usage: string;
  key: string | null;
  customKeyIdentifier: string;
  displayName: string | null;
  startDateTime: string;
  endDateTime: string;
}

function certificateBody(certificate: TestCertificate, extra: Record<string, unknown> = {}) {
  return { type: "AsymmetricX509Cert", usage: "Verify", key: certificate.derBase64, ...extra };
}

function tokenWith(t: DevTenant, appId: string, certificate: TestCertificate, resource: string) {
  const { msal, responses } = confidentialClient(t, {
    clientId: appId,
    clientCertificate: {
      thumbprintSha256: certificate.sha256Hex,
      privateKey: certificate.privateKeyPem,
      x5c: certificate.certPem,
    },
  });
  return { call: msal.acquireTokenByClientCredential({ scopes: [`${resource}/.default`] }), responses };
}

describe("Graph: application keyCredentials (certificates)", () => {
  const tenant = useDevTenant();
  let graph: Client;
  let api: string;

  beforeAll(async () => {
    graph = appOnlyGraphClient(tenant(), await tenant().createGraphAdminApp());
    api = (await seedApp(tenant(), { displayName: "api for certificates" })).uri;
  });

  async function keyCredentials(id: string): Promise<KeyCredentialRead[]> {
    const app = await graph.api(`/applications/${id}`).select("keyCredentials").get();
    return app.keyCredentials;
  }

  it("PATCH adds a certificate: reads return it without key, with Graph's thumbprint and dates; msal signs in with it", async () => {
    const t = tenant();
    const app = await graph.api("/applications").post({ displayName: "daemon with a certificate" });
    await graph.api("/servicePrincipals").post({ appId: app.appId });
    const certificate = await selfSignedCertificate("CN=daemon");
    await graph
      .api(`/applications/${app.id}`)
      .patch({ keyCredentials: [certificateBody(certificate, { displayName: "CN=daemon" })] });

    const [stored] = await keyCredentials(app.id);
    expect(stored).toMatchObject({
      type: "AsymmetricX509Cert",
      usage: "Verify",
      key: null,
      displayName: "CN=daemon",
      customKeyIdentifier: certificate.sha1Base64,
    });
    expect(stored!.keyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(stored!.startDateTime)).toBe(Math.floor(certificate.notBefore.getTime() / 1000) * 1000);
    expect(Date.parse(stored!.endDateTime)).toBe(Math.floor(certificate.notAfter.getTime() / 1000) * 1000);
    const result = await tokenWith(t, app.appId, certificate, api).call;
    expect(result?.accessToken).toBeTruthy();
  });

  it("the collection is replaced whole: read-back entries (key null) are kept by keyId, left-out ones are removed", async () => {
    const t = tenant();
    const app = await graph.api("/applications").post({ displayName: "daemon rotating certificates" });
    await graph.api("/servicePrincipals").post({ appId: app.appId });
    const first = await selfSignedCertificate("CN=first");
    const second = await selfSignedCertificate("CN=second");
    await graph.api(`/applications/${app.id}`).patch({ keyCredentials: [certificateBody(first)] });
    const read = await keyCredentials(app.id);
    await graph.api(`/applications/${app.id}`).patch({ keyCredentials: [...read, certificateBody(second)] });
    const both = await keyCredentials(app.id);
    expect(both.map((credential) => credential.customKeyIdentifier)).toEqual([
      first.sha1Base64,
      second.sha1Base64,
    ]);
    expect(both[0]!.keyId).toBe(read[0]!.keyId);
    expect(both[1]!.displayName).toBe("CN=second");
    await tokenWith(t, app.appId, first, api).call;
    await tokenWith(t, app.appId, second, api).call;

    await graph.api(`/applications/${app.id}`).patch({ keyCredentials: [both[1]] });
    expect((await keyCredentials(app.id)).map((credential) => credential.keyId)).toEqual([both[1]!.keyId]);
    const refused = tokenWith(t, app.appId, first, api);
    await expectMsalEntraError(refused.call, refused.responses, 700027);
    await tokenWith(t, app.appId, second, api).call;
  });

  it("refuses what Graph refuses: a new entry without key, a key that is no certificate, other types and usages", async () => {
    const app = await graph.api("/applications").post({ displayName: "daemon with bad keys" });
    const certificate = await selfSignedCertificate();
    const patch = (entry: Record<string, unknown>) =>
      graph.api(`/applications/${app.id}`).patch({ keyCredentials: [entry] });
    await expectGraphError(
      patch({ keyId: "6c5f6a8e-5c55-4a58-9d7b-1a8f3e0f7a11", type: "AsymmetricX509Cert", usage: "Verify" }),
      400,
      "Request_BadRequest",
      /'key' is required/,
    );
    await expectGraphError(
      patch(certificateBody(certificate, { key: "bm90IGEgY2VydA==" })),
      400,
      "Request_BadRequest",
      /'key'/,
    );
    await expectGraphError(
      patch(certificateBody(certificate, { type: "Symmetric" })),
      400,
      "Request_BadRequest",
      /'type'/,
    );
    await expectGraphError(
      patch(certificateBody(certificate, { usage: "Sign" })),
      400,
      "Request_BadRequest",
      /'usage'/,
    );
    await expectGraphError(
      patch(certificateBody(certificate, { endDateTime: "2999-01-01T00:00:00Z" })),
      400,
      "Request_BadRequest",
      /end date/,
    );
    expect(await keyCredentials(app.id)).toEqual([]);
  });

  it("POST /applications takes keyCredentials too", async () => {
    const certificate = await selfSignedCertificate();
    const app = await graph
      .api("/applications")
      .post({ displayName: "created with a certificate", keyCredentials: [certificateBody(certificate)] });
    expect(app.keyCredentials).toEqual([
      expect.objectContaining({ key: null, customKeyIdentifier: certificate.sha1Base64 }),
    ]);
  });
});
