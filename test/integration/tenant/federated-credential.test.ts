import { generateKeyPairSync } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { trustedFetch } from "../../../src/entra/trust.js";
import { GITHUB_ACTIONS_ISSUER } from "../../../src/entra/well-known.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { expectMsalEntraError } from "../../helpers/entra-error.js";
import { confidentialClient, lastTokenResponse } from "../../helpers/msal-clients.js";
import { addFederatedCredential, assignAppRole, seedApp } from "../../helpers/seed-apps.js";
import { verifyTenantToken } from "../../helpers/verify-token.js";

const REPO = "contoso/mcp-server";

describe("federated credentials with the GitHub Actions stand-in", () => {
  const tenant = useDevTenant();

  async function ciSetup(subject = `repo:${REPO}:ref:refs/heads/main`) {
    const t = tenant();
    const api = await seedApp(t, { tokenVersion: 2, roles: ["Tools.Read"] });
    const ci = await seedApp(t, { displayName: "ci", identifierUri: false });
    await assignAppRole(t, { client: ci.appId, resource: api.appId, role: "Tools.Read" });
    await addFederatedCredential(t, ci.appId, { issuer: GITHUB_ACTIONS_ISSUER, subject });
    return { t, api, ci };
  }

  function acquireWith(t: ReturnType<typeof tenant>, clientId: string, assertion: string, scope: string) {
    const { msal, responses } = confidentialClient(t, { clientId, clientAssertion: assertion });
    return { call: msal.acquireTokenByClientCredential({ scopes: [scope] }), responses };
  }

  it("mints a GitHub-Actions-shaped token signed by the tenant's keys", async () => {
    const t = tenant();
    const token = await t.githubActionsToken({
      repository: REPO,
      environment: "production",
      actor: "octocat",
    });
    const { payload, protectedHeader } = await verifyTenantToken(t, token, {
      issuer: GITHUB_ACTIONS_ISSUER,
      audience: "api://AzureADTokenExchange",
    });
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(payload).toMatchObject({
      sub: `repo:${REPO}:environment:production`,
      repository: REPO,
      repository_owner: "contoso",
      ref: "refs/heads/main",
      environment: "production",
      actor: "octocat",
      event_name: "push",
      job_workflow_ref: `${REPO}/.github/workflows/ci.yml@refs/heads/main`,
    });
    expect(payload.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(payload.run_id).toMatch(/^\d+$/);
    expect(payload.workflow).toBeTypeOf("string");
    expect(payload.exp! - payload.iat!).toBe(300);

    const pr = decodeJwt(await t.githubActionsToken({ repository: REPO, eventName: "pull_request" }));
    expect(pr.sub).toBe(`repo:${REPO}:pull_request`);
    expect(pr.environment).toBeUndefined();
  });

  it("serves the same token from the admin API, and rejects bad input", async () => {
    const t = tenant();
    const post = (body: unknown) =>
      trustedFetch([t.caPem])(`${t.url}/_admin/github-actions-token`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.adminToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const ok = await post({ repository: REPO, ref: "refs/heads/release", audience: "api://custom" });
    expect(ok.status).toBe(200);
    const { value } = (await ok.json()) as { value: string };
    const { payload } = await verifyTenantToken(t, value, { audience: "api://custom" });
    expect(payload.sub).toBe(`repo:${REPO}:ref:refs/heads/release`);

    const bad = await post({ repository: "not a repo" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: "invalid_request",
      message: expect.stringMatching(/repository/),
    });

    const anonymous = await trustedFetch([t.caPem])(`${t.url}/_admin/github-actions-token`, {
      method: "POST",
    });
    expect(anonymous.status).toBe(401);
  });

  it("exchanges the workflow's token for an app-only token with msal-node", async () => {
    const { t, api, ci } = await ciSetup();
    const assertion = await t.githubActionsToken({ repository: REPO });
    const { call } = acquireWith(t, ci.appId, assertion, `${api.uri}/.default`);
    const result = await call;
    const { payload } = await verifyTenantToken(t, result!.accessToken, {
      issuer: t.urls.issuer,
      audience: api.appId,
    });
    expect(payload).toMatchObject({ azp: ci.appId, azpacr: "2", idtyp: "app", roles: ["Tools.Read"] });
  });

  it("matches environment subjects", async () => {
    const { t, api, ci } = await ciSetup(`repo:${REPO}:environment:production`);
    const assertion = await t.githubActionsToken({ repository: REPO, environment: "production" });
    const result = await acquireWith(t, ci.appId, assertion, `${api.uri}/.default`).call;
    expect(result?.accessToken).toBeTruthy();
  });

  it("refuses a token from another branch (AADSTS700213: no credential has its subject)", async () => {
    const { t, api, ci } = await ciSetup();
    const assertion = await t.githubActionsToken({ repository: REPO, ref: "refs/heads/feature" });
    const { call, responses } = acquireWith(t, ci.appId, assertion, `${api.uri}/.default`);
    await expectMsalEntraError(call, responses, 700213);
    const body = lastTokenResponse(responses).body as { error_description: string };
    expect(body.error_description).toContain(`repo:${REPO}:ref:refs/heads/feature`);
  });

  it("refuses an expired token (AADSTS700024)", async () => {
    const { t, api, ci } = await ciSetup();
    const assertion = await t.githubActionsToken({ repository: REPO });
    t.clock.advance(11 * 60 * 1000);
    const { call, responses } = acquireWith(t, ci.appId, assertion, `${api.uri}/.default`);
    await expectMsalEntraError(call, responses, 700024);
  });

  it("refuses a token signed by a key that is not the issuer's (AADSTS700027)", async () => {
    const { t, api, ci } = await ciSetup();
    const genuine = await t.githubActionsToken({ repository: REPO });
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = await new SignJWT(decodeJwt(genuine))
      .setProtectedHeader({ ...decodeProtectedHeader(genuine), alg: "RS256" })
      .sign(privateKey);
    const { call, responses } = acquireWith(t, ci.appId, forged, `${api.uri}/.default`);
    await expectMsalEntraError(call, responses, 700027);
  });
});
