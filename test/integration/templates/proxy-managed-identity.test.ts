import { beforeAll, describe, expect, it } from "vitest";
import { readProjectConfig } from "../../../src/core/project-config.js";
import { TenantAdminClient } from "../../../src/tenant/index.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { useTemplateProject } from "../../helpers/template-project.js";
import { runFlow, step } from "../../helpers/test-flow.js";

/**
 * The `proxy` template with a managed identity: the OAuth proxy's own Entra client (the code it
 * redeems at Entra for each sign-in) and its on-behalf-of call both present the identity's token
 * for api://AzureADTokenExchange, from the dev tenant's managed identity endpoint, as a client
 * assertion. The app holds no secret, and neither do .env nor mcp-entra.json.
 */
describe("proxy template with a managed identity (no secret)", () => {
  const tenant = useDevTenant();
  const project = useTemplateProject(tenant, { template: "proxy" });

  beforeAll(async () => {
    await TenantAdminClient.for(tenant().url, tenant().adminToken, tenant().caPem).setAutoApprove("adele");
  });

  it("a client signs in through the proxy and calls whoami; every Entra request of the server is signed by the identity", async () => {
    const identity = await tenant().addManagedIdentity("proxy-identity");
    await project().register({ credential: "managed-identity", managedIdentity: identity.principalId });
    const { appId } = await project().app("proxy");
    const app = tenant().store.state.applications.find((candidate) => candidate.appId === appId)!;
    expect(app.passwordCredentials).toEqual([]);
    expect(tenant().store.state.federatedIdentityCredentials[app.id]).toEqual([
      expect.objectContaining({ subject: identity.principalId, issuer: tenant().urls.issuer }),
    ]);
    const env = await project().env();
    expect(env.ENTRA_CLIENT_SECRET).toBeUndefined();
    expect(env.ENTRA_MANAGED_IDENTITY_CLIENT_ID).toBe(identity.clientId);
    expect((await readProjectConfig(project().dir)).apps.proxy!.secret).toBeUndefined();

    await project().restart();
    tenant().clearRequestLog();
    const { report, output } = await runFlow({
      serverUrl: project().url,
      home: project().home,
      fresh: true,
      auth: "headless",
      tool: "whoami",
    });
    expect(report.exitCode, output).toBe(0);
    expect(step(report, "token").evidence.token).toMatchObject({ aud: appId, azp: appId });
    expect(step(report, "tools-call").evidence.text).toContain(`adele@${tenant().domain}`);
    const log = tenant().requestLog();
    expect(log.filter((entry) => entry.path.startsWith("/msi/token")).length).toBeGreaterThan(0);
    expect(log.filter((entry) => entry.path.endsWith("/oauth2/v2.0/token")).map((e) => e.status)).toEqual([
      200, 200,
    ]);
  });
});
