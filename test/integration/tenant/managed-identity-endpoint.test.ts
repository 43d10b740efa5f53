import { ManagedIdentityApplication } from "@azure/msal-node";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_EXCHANGE_APP_ID } from "../../../src/entra/well-known.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";

/**
 * The dev tenant's managed identity endpoint, as an Azure host (App Service, Container Apps) serves it
 * through IDENTITY_ENDPOINT and IDENTITY_HEADER, called by msal-node's ManagedIdentityApplication in this
 * process (which trusts the tenant's CA through NODE_EXTRA_CA_CERTS, as a server on the host would).
 */
describe("the dev tenant's managed identity endpoint, through msal-node", () => {
  const tenant = useDevTenant(undefined, { trustedCa: true });
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
  const tokenFor = (params: ConstructorParameters<typeof ManagedIdentityApplication>[0], resource: string) =>
    new ManagedIdentityApplication(params).acquireToken({ resource });

  beforeAll(() => {
    Object.assign(process.env, tenant().managedIdentityHost());
  });
  afterAll(() => {
    for (const [name, value] of [
      ["IDENTITY_ENDPOINT", saved.endpoint],
      ["IDENTITY_HEADER", saved.header],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("refuses a wrong IDENTITY_HEADER, an unknown identity, a system-assigned request and other resources", async () => {
    const identity = await tenant().addManagedIdentity("refusals");
    const byClientId = { managedIdentityIdParams: { userAssignedClientId: identity.clientId } };
    // msal-node reads IDENTITY_HEADER once per process, so the wrong header goes over plain fetch.
    const host = tenant().managedIdentityHost();
    const query = `api-version=2019-08-01&resource=api://AzureADTokenExchange&client_id=${identity.clientId}`;
    const wrongHeader = await fetch(`${host.IDENTITY_ENDPOINT}?${query}`, {
      headers: { "X-IDENTITY-HEADER": "wrong" },
    });
    expect(wrongHeader.status).toBe(401);
    expect(await wrongHeader.json()).toMatchObject({ message: expect.stringContaining("X-IDENTITY-HEADER") });
    await expect(
      tokenFor(
        { managedIdentityIdParams: { userAssignedClientId: "7e307b14-2a27-4f66-ada8-ec6400eb4977" } },
        "api://AzureADTokenExchange",
      ),
    ).rejects.toThrow(/No User Assigned or Delegated Managed Identity found/);
    await expect(tokenFor({}, "api://AzureADTokenExchange")).rejects.toThrow(
      /No system assigned managed identity/,
    );
    await expect(tokenFor(byClientId, "https://graph.microsoft.com")).rejects.toThrow(
      /api:\/\/AzureADTokenExchange only/,
    );
  });

  it("gives a user-assigned identity (by client id or object id) its token for api://AzureADTokenExchange, shaped as Entra's", async () => {
    const identity = await tenant().addManagedIdentity("mcp-server");
    for (const managedIdentityIdParams of [
      { userAssignedClientId: identity.clientId },
      { userAssignedObjectId: identity.principalId },
    ]) {
      const result = await tokenFor({ managedIdentityIdParams }, "api://AzureADTokenExchange/.default");
      expect(decodeJwt(result.accessToken)).toMatchObject({
        aud: TOKEN_EXCHANGE_APP_ID,
        iss: tenant().urls.issuer,
        sub: identity.principalId,
        oid: identity.principalId,
        azp: identity.clientId,
        tid: tenant().tenantId,
        idtyp: "app",
        ver: "2.0",
      });
      // About a day, as on Azure.
      expect(result.expiresOn!.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    }
    const calls = tenant()
      .requestLog()
      .filter((entry) => entry.path.startsWith("/msi/token") && entry.status === 200);
    expect(calls).toHaveLength(2);
  });
});
