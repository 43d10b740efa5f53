import type { Client } from "@microsoft/microsoft-graph-client";
import { beforeAll, describe, expect, it } from "vitest";
import { MICROSOFT_GRAPH_APP_ID, VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import { ENTRA_PROPAGATION } from "../../../src/tenant/server/faults.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { expectMsalEntraError } from "../../helpers/entra-error.js";
import { appOnlyGraphClient } from "../../helpers/graph.js";
import { confidentialClient } from "../../helpers/msal-clients.js";
import { seedApp } from "../../helpers/seed-apps.js";

/**
 * Propagation after writes (fault spec `propagation`): what Graph accepted reaches Entra's token
 * endpoint seconds later. The tenant's clock moves the window, so nothing here waits.
 */
describe("propagation after writes", () => {
  const tenant = useDevTenant();
  let graph: Client;

  beforeAll(async () => {
    graph = appOnlyGraphClient(tenant(), await tenant().createGraphAdminApp());
    tenant().setFaults("propagation");
  });

  it("refuses a secret from addPassword with AADSTS7000215 until it has propagated", async () => {
    const t = tenant();
    const api = await seedApp(t, { displayName: "fresh secret", roles: ["Tools.Read"] });
    const added = (await graph
      .api(`/applications/${api.application.id}/addPassword`)
      .post({ passwordCredential: { displayName: "new" } })) as { secretText: string };
    const scopes = [`${api.uri}/.default`];
    const first = confidentialClient(t, { clientId: api.appId, clientSecret: added.secretText });
    await expectMsalEntraError(
      first.msal.acquireTokenByClientCredential({ scopes }),
      first.responses,
      7000215,
    );
    t.clock.advance(ENTRA_PROPAGATION.secretPropagationMs);
    const later = confidentialClient(t, { clientId: api.appId, clientSecret: added.secretText });
    const result = await later.msal.acquireTokenByClientCredential({ scopes });
    expect(result?.accessToken).toBeTruthy();
  });

  it("answers on-behalf-of with AADSTS65001 until a new consent grant has propagated", async () => {
    const t = tenant();
    const api = await seedApp(t, { displayName: "obo api", exposes: ["access_as_user"], secret: true });
    const graphSp = t.store.state.servicePrincipals.find((sp) => sp.appId === MICROSOFT_GRAPH_APP_ID)!;
    await graph.api("/oauth2PermissionGrants").post({
      clientId: api.servicePrincipal!.id,
      consentType: "AllPrincipals",
      resourceId: graphSp.id,
      scope: "User.Read",
    });
    const user = t.store.state.users[1]!.userPrincipalName;
    const { access_token: assertion } = await t.issueToken({
      clientId: VSCODE_CLIENT_ID,
      scope: `${api.uri}/access_as_user`,
      user,
    });
    const scopes = ["https://graph.microsoft.com/User.Read"];
    const first = confidentialClient(t, { clientId: api.appId, clientSecret: api.secret! });
    await expectMsalEntraError(
      first.msal.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes }),
      first.responses,
      65001,
    );
    t.clock.advance(ENTRA_PROPAGATION.consentPropagationMs);
    const result = await first.msal.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes });
    expect(result?.account?.username).toBe(user);
  });
});
