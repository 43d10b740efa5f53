// Runs a dev tenant in its own process for the benchmarks and prints what the load needs as one
// JSON line: a confidential client (client credentials), a public client (auth code + PKCE, with
// auto-approve on), the API they ask for, and the header and claims of one client credentials token
// (what the bare signer signs alike). Stops on SIGTERM.
import { randomUUID } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { addPassword, newApplication, newServicePrincipal, startDevTenant } from "../../dist/tenant/index.js";

const home = await mkdtemp(join(tmpdir(), "mcp-entra-bench-"));
const tenant = await startDevTenant({ home, port: 0 });
const now = new Date().toISOString();
const seeded = await tenant.store.commit((state) => {
  const api = newApplication({ displayName: "bench api", api: { requestedAccessTokenVersion: 2 } }, now);
  api.identifierUris = [`api://${api.appId}`];
  api.api.oauth2PermissionScopes = [
    {
      id: randomUUID(),
      value: "user_impersonation",
      type: "User",
      isEnabled: true,
      adminConsentDisplayName: "Access",
      adminConsentDescription: "Access",
      userConsentDisplayName: "Access",
      userConsentDescription: "Access",
    },
  ];
  const confidential = newApplication({ displayName: "bench confidential client" }, now);
  const spa = newApplication(
    {
      displayName: "bench public client",
      isFallbackPublicClient: true,
      publicClient: { redirectUris: ["http://localhost/callback"] },
    },
    now,
  );
  api.api.preAuthorizedApplications = [
    { appId: spa.appId, delegatedPermissionIds: [api.api.oauth2PermissionScopes[0].id] },
  ];
  state.applications.push(api, confidential, spa);
  for (const app of [api, confidential, spa])
    state.servicePrincipals.push(newServicePrincipal(state, app, now));
  state.settings.autoApproveUserId = state.administrators[0];
  const { secretText } = addPassword(state, confidential, {}, Date.now());
  return { apiAppId: api.appId, confidentialId: confidential.appId, secret: secretText, publicId: spa.appId };
});
const admin = tenant.store.state.users.find((user) => user.id === tenant.store.state.administrators[0]);
const { access_token: userToken } = await tenant.issueToken({
  clientId: seeded.publicId,
  scope: `api://${seeded.apiAppId}/user_impersonation`,
  user: admin.userPrincipalName,
});
const { access_token: appToken } = await tenant.issueToken({
  clientId: seeded.confidentialId,
  scope: `api://${seeded.apiAppId}/.default`,
});
const appTokenShape = { header: decodeProtectedHeader(appToken), claims: decodeJwt(appToken) };
process.stdout.write(
  `${JSON.stringify({ url: tenant.url, tenantId: tenant.tenantId, caPem: tenant.caPem, caFile: tenant.caFile, home, pid: process.pid, userToken, appTokenShape, ...seeded })}\n`,
);
process.once("SIGTERM", async () => {
  await tenant.stop();
  process.exit(0);
});
