import { PublicClientApplication } from "@azure/msal-node";
import { describe, expect, it } from "vitest";
import { msalConfiguration } from "../../../src/entra/msal-config.js";
import { AZURE_CLI_CLIENT_ID } from "../../../src/entra/well-known.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { SignInDriver, type SignInOutcome } from "../../helpers/sign-in-driver.js";
import {
  aadstsCode,
  addApi,
  addClient,
  postForm,
  testUser,
  verifyToken,
} from "../../helpers/sign-in-fixtures.js";

function startDeviceCode(t: DevTenant, clientId: string, scope: string) {
  return postForm(t, t.urls.deviceCode, { client_id: clientId, scope });
}

function poll(t: DevTenant, clientId: string, deviceCode: string, grantType = "device_code") {
  return postForm(t, t.urls.token, { grant_type: grantType, client_id: clientId, device_code: deviceCode });
}

describe("device code flow", () => {
  const tenant = useDevTenant({ deviceCodeIntervalSeconds: 1 });

  it("msal-node acquireTokenByDeviceCode, approved through the /devicelogin page", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicFlows: true, name: "CLI on a device" });
    const pca = new PublicClientApplication(
      msalConfiguration({ authority: t.urls.authority, caPems: [t.caPem] }, { clientId: client.app.appId }),
    );
    const driver = new SignInDriver({ caPem: t.caPem, user: testUser(t, "alex").userPrincipalName });
    let approval: Promise<SignInOutcome> | undefined;
    let shown: { message: string; verificationUri: string; interval: number } | undefined;
    const result = await pca.acquireTokenByDeviceCode({
      scopes: [api.scope],
      deviceCodeCallback: (response) => {
        shown = response;
        approval = driver.approveDeviceCode(response.verificationUri, response.userCode);
      },
    });
    expect(shown?.verificationUri).toBe(`${t.url}/devicelogin`);
    expect(shown?.interval).toBe(1);
    expect(shown?.message).toContain(shown!.verificationUri);
    const outcome = await approval!;
    expect(outcome).toMatchObject({ kind: "page", step: "device-done" });
    expect(outcome.steps).toEqual(["sign-in", "consent", "device-done"]);
    const claims = await verifyToken(t, result!.accessToken, api.app.appId);
    expect(claims).toMatchObject({
      scp: "access_as_user",
      oid: testUser(t, "alex").id,
      azp: client.app.appId,
    });
    expect(result!.account?.username).toBe(testUser(t, "alex").userPrincipalName);
  });

  it("answers polls as Entra documents: pending however fast, bad_verification_code, declined, tokens once", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicFlows: true });
    const started = await startDeviceCode(t, client.app.appId, `${api.scope} openid offline_access`);
    expect(started.status).toBe(200);
    const deviceCode = String(started.body.device_code);
    expect(started.body).toMatchObject({ expires_in: 900, interval: 1 });
    expect(String(started.body.user_code)).toMatch(/^[A-Z0-9]{8,9}$/);

    const pending = await poll(t, client.app.appId, deviceCode);
    expect(pending.status).toBe(400);
    expect(pending.headers.get("retry-after")).toBeNull();
    expect(pending.body.error).toBe("authorization_pending");
    expect(aadstsCode(pending.body)).toBe(70016);
    // Polled again at once, faster than the interval: Entra sends no slow_down (msal would stop on it),
    // still authorization_pending; the URN grant type works the same.
    const tooFast = await poll(
      t,
      client.app.appId,
      deviceCode,
      "urn:ietf:params:oauth:grant-type:device_code",
    );
    expect(tooFast.body.error).toBe("authorization_pending");
    expect(aadstsCode(tooFast.body)).toBe(70016);

    // Another client cannot poll for this code: it does not know it (bad_verification_code, 70018).
    const other = await addClient(t, { publicFlows: true });
    const stolen = await poll(t, other.app.appId, deviceCode);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe("bad_verification_code");
    expect(aadstsCode(stolen.body)).toBe(70018);

    // A wrong code on the page is refused; the right one leads to sign-in and consent.
    const driver = new SignInDriver({ caPem: t.caPem, user: testUser(t, "megan").userPrincipalName });
    const wrong = await driver.approveDeviceCode(String(started.body.verification_uri), "NOTACODE1");
    expect(wrong).toMatchObject({ kind: "page", step: "device-code" });
    const approved = await driver.approveDeviceCode(
      String(started.body.verification_uri),
      String(started.body.user_code),
    );
    expect(approved).toMatchObject({ kind: "page", step: "device-done" });

    const tokens = await poll(t, client.app.appId, deviceCode);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: "Bearer" });
    expect(tokens.body.refresh_token).toBeTruthy();
    expect(tokens.body.id_token).toBeTruthy();
    const again = await poll(t, client.app.appId, deviceCode);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe("bad_verification_code");
    // The code cannot be entered on the page a second time either.
    const reused = await driver.approveDeviceCode(
      String(started.body.verification_uri),
      String(started.body.user_code),
    );
    expect(reused).toMatchObject({ kind: "page", step: "device-code" });

    // Declined: the user cancels on the consent page.
    const second = await startDeviceCode(t, client.app.appId, api.scope);
    const declinedBy = new SignInDriver({ caPem: t.caPem, user: testUser(t, "alex").userPrincipalName });
    const declined = await declinedBy.approveDeviceCode(
      String(second.body.verification_uri),
      String(second.body.user_code),
      {
        consent: "cancel",
      },
    );
    expect(declined).toMatchObject({ kind: "page", step: "device-declined" });
    const refused = await poll(t, client.app.appId, String(second.body.device_code));
    expect(refused.body.error).toBe("authorization_declined");
    expect(aadstsCode(refused.body)).toBe(65004);
  });

  it("refuses clients that do not allow public client flows (7000218), and checks the client id", async () => {
    const t = tenant();
    const api = await addApi(t);
    const confidential = await addClient(t, { web: ["https://app.contoso.test/cb"], secret: true });
    const refused = await startDeviceCode(t, confidential.app.appId, api.scope);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe("invalid_client");
    expect(aadstsCode(refused.body)).toBe(7000218);
    const unknown = await startDeviceCode(t, "11111111-2222-3333-4444-555555555555", api.scope);
    expect(aadstsCode(unknown.body)).toBe(700016);
    const notGuid = await startDeviceCode(t, "my-client", api.scope);
    expect(aadstsCode(notGuid.body)).toBe(90112);
    // Microsoft's public clients (Azure CLI) may use the device flow.
    const cli = await startDeviceCode(t, AZURE_CLI_CLIENT_ID, "User.Read openid");
    expect(cli.status).toBe(200);
  });

  it("a first-party client asking for a tenant API that has not pre-authorized it ends with 65002", async () => {
    const t = tenant();
    const api = await addApi(t);
    const started = await startDeviceCode(t, AZURE_CLI_CLIENT_ID, api.scope);
    const driver = new SignInDriver({ caPem: t.caPem, user: testUser(t, "alex").userPrincipalName });
    const outcome = await driver.approveDeviceCode(
      String(started.body.verification_uri),
      String(started.body.user_code),
    );
    expect(outcome).toMatchObject({ kind: "page", step: "error", aadsts: 65002 });
    const polled = await poll(t, AZURE_CLI_CLIENT_ID, String(started.body.device_code));
    expect(aadstsCode(polled.body)).toBe(65002);
  });

  it("expires codes (expired_token, 70019) on the tenant's clock", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicFlows: true });
    const started = await startDeviceCode(t, client.app.appId, api.scope);
    t.clock.advance(901_000);
    const expired = await poll(t, client.app.appId, String(started.body.device_code));
    expect(expired.body.error).toBe("expired_token");
    expect(aadstsCode(expired.body)).toBe(70019);
    const driver = new SignInDriver({ caPem: t.caPem });
    const page = await driver.approveDeviceCode(
      String(started.body.verification_uri),
      String(started.body.user_code),
    );
    expect(page).toMatchObject({ kind: "page", step: "device-code", aadsts: 70019 });
  });
});
