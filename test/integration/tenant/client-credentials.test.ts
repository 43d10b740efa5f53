import { ConfidentialClientApplication } from "@azure/msal-node";
import { createRemoteJWKSet, customFetch, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { msalConfiguration } from "../../../src/entra/msal-config.js";
import { trustedFetch } from "../../../src/entra/trust.js";
import {
  addPassword,
  newApplication,
  newServicePrincipal,
} from "../../../src/tenant/directory/object-factories.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";

describe("client credentials with a secret", () => {
  const tenant = useDevTenant();

  it("gives msal-node an app-only v2 token that verifies against the JWKS", async () => {
    const t = tenant();
    const { api, client, secret } = await t.store.commit((state) => {
      const api = newApplication(
        {
          displayName: "api",
          api: { requestedAccessTokenVersion: 2 },
          appRoles: [
            {
              id: "7f1f0b4a-0000-4000-8000-000000000001",
              value: "Tools.Read",
              displayName: "Read",
              description: "Read",
              allowedMemberTypes: ["Application"],
              isEnabled: true,
            },
          ],
        },
        new Date().toISOString(),
      );
      api.identifierUris = [`api://${api.appId}`];
      const client = newApplication({ displayName: "client" }, new Date().toISOString());
      state.applications.push(api, client);
      const apiSp = newServicePrincipal(state, api, new Date().toISOString());
      const clientSp = newServicePrincipal(state, client, new Date().toISOString());
      state.servicePrincipals.push(apiSp, clientSp);
      state.appRoleAssignments.push({
        id: "assignment-1",
        appRoleId: "7f1f0b4a-0000-4000-8000-000000000001",
        createdDateTime: new Date().toISOString(),
        principalDisplayName: "client",
        principalId: clientSp.id,
        principalType: "ServicePrincipal",
        resourceDisplayName: "api",
        resourceId: apiSp.id,
      });
      const { secretText } = addPassword(state, client, {}, Date.now());
      return { api, client, secret: secretText };
    });

    const msal = new ConfidentialClientApplication(
      msalConfiguration(
        { authority: t.urls.authority, caPems: [t.caPem] },
        { clientId: client.appId, clientSecret: secret },
      ),
    );
    const result = await msal.acquireTokenByClientCredential({ scopes: [`api://${api.appId}/.default`] });
    expect(result?.accessToken).toBeTruthy();

    const jwks = createRemoteJWKSet(new URL(t.urls.jwks), {
      [customFetch]: (url, init) => trustedFetch([t.caPem])(url, init as RequestInit),
    });
    const { payload, protectedHeader } = await jwtVerify(result!.accessToken, jwks, {
      issuer: t.urls.issuer,
      audience: api.appId,
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({
      azp: client.appId,
      idtyp: "app",
      tid: t.tenantId,
      ver: "2.0",
      roles: ["Tools.Read"],
    });
    expect(payload.scp).toBeUndefined();
  });
});
