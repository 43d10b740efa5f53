import { ConfidentialClientApplication } from "@azure/msal-node";
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { msalConfiguration } from "../../../src/entra/msal-config.js";
import {
  GITHUB_ACTIONS_ISSUER,
  MICROSOFT_GRAPH_APP_ID,
  VSCODE_CLIENT_ID,
} from "../../../src/entra/well-known.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { assertNoDuplicates, FAST_RETRY, projectFiles, registerWith } from "../../helpers/registration.js";

/**
 * Graph's worst habits at once — 20% throttling, 10% unavailability (both with Retry-After) and a
 * replication window that the retries must really wait out (1.5 s of real time) — and every preset
 * still ends complete, with nothing duplicated, and a second run writes nothing.
 */
const faults = (seed: number) => `429:0.2,503:0.1,replication:1500,seed:${seed}`;

describe("register under injected Graph faults", () => {
  const tenant = useDevTenant();
  let home: string;
  let dir: string;
  const register = registerWith(tenant, () => home, FAST_RETRY);

  beforeAll(async () => {
    home = await tempDir();
    dir = await tempDir("mcp-entra-project-");
  });

  /** Runs a preset with faults on, checks what the faults did, then runs it again: no writes. */
  async function withFaults(t: DevTenant, seed: number, flags: Record<string, unknown>) {
    t.setFaults(faults(seed));
    t.clearRequestLog();
    const first = await register(dir, flags);
    const log = t.requestLog({ kind: "graph" });
    const injected = new Set(log.map((entry) => entry.fault).filter(Boolean));
    expect(injected.has("429") || injected.has("503")).toBe(true);
    t.clearRequestLog();
    const second = await register(dir, flags);
    expect(t.requestLog({ kind: "graph", writesOnly: true })).toEqual([]);
    expect(second.result.graph.writes).toEqual([]);
    t.setFaults(undefined);
    assertNoDuplicates(t.store.state);
    return { first, log, injected };
  }

  function app(t: DevTenant, appId: string) {
    return t.store.state.applications.find((candidate) => candidate.appId === appId)!;
  }

  function servicePrincipal(t: DevTenant, appId: string) {
    return t.store.state.servicePrincipals.filter((sp) => sp.appId === appId);
  }

  it("remote: complete (identifier URI, scope, pre-authorization, SP, one secret that works, admin consent)", async () => {
    const t = tenant();
    const { first, injected } = await withFaults(t, 11, { preset: "remote" });
    // The new application really was invisible for a while, and the retries waited it out.
    expect(injected.has("replication")).toBe(true);
    const api = app(t, first.result.outcome.app.appId);
    expect(api.identifierUris).toEqual([`api://${api.appId}`]);
    expect(api.api.oauth2PermissionScopes.map((s) => s.value)).toEqual(["user_impersonation"]);
    expect(api.api.preAuthorizedApplications).toEqual([
      { appId: VSCODE_CLIENT_ID, delegatedPermissionIds: [api.api.oauth2PermissionScopes[0]!.id] },
    ]);
    expect(api.passwordCredentials).toHaveLength(1);
    const [sp] = servicePrincipal(t, api.appId);
    const graphSp = servicePrincipal(t, MICROSOFT_GRAPH_APP_ID)[0]!;
    expect(t.store.state.oauth2PermissionGrants.filter((g) => g.clientId === sp!.id)).toEqual([
      expect.objectContaining({ resourceId: graphSp.id, consentType: "AllPrincipals", scope: "User.Read" }),
    ]);
    const { env } = await projectFiles(dir);
    const cca = new ConfidentialClientApplication(
      msalConfiguration(
        { authority: t.urls.authority, caPems: [t.caPem] },
        { clientId: api.appId, clientSecret: env.ENTRA_CLIENT_SECRET! },
      ),
    );
    const token = await cca.acquireTokenByClientCredential({ scopes: [`api://${api.appId}/.default`] });
    expect(decodeJwt(token!.accessToken).azp).toBe(api.appId);
  });

  it("ci (federated, after remote): complete, with its role assignment on the API", async () => {
    const t = tenant();
    const { first } = await withFaults(t, 12, {
      preset: "ci",
      githubRepo: "o/r",
      githubRef: "refs/heads/main",
    });
    const ci = app(t, first.result.outcome.app.appId);
    expect(t.store.state.federatedIdentityCredentials[ci.id]).toEqual([
      expect.objectContaining({ issuer: GITHUB_ACTIONS_ISSUER, subject: "repo:o/r:ref:refs/heads/main" }),
    ]);
    const [ciSp] = servicePrincipal(t, ci.appId);
    const { config } = await projectFiles(dir);
    const apiSp = servicePrincipal(t, config.apps.remote!.appId!)[0]!;
    const tools = apiSp.appRoles.length ? apiSp.appRoles : app(t, apiSp.appId).appRoles;
    expect(
      t.store.state.appRoleAssignments
        .filter((a) => a.principalId === ciSp!.id)
        .map((a) => [a.resourceId, tools.find((r) => r.id === a.appRoleId)?.value]),
    ).toEqual([[apiSp.id, "Tools.Read"]]);
    const assertion = await t.githubActionsToken({ repository: "o/r", ref: "refs/heads/main" });
    const cca = new ConfidentialClientApplication(
      msalConfiguration(
        { authority: t.urls.authority, caPems: [t.caPem] },
        { clientId: ci.appId, clientAssertion: assertion },
      ),
    );
    const token = await cca.acquireTokenByClientCredential({ scopes: [`api://${apiSp.appId}/.default`] });
    expect(decodeJwt(token!.accessToken).roles).toEqual(["Tools.Read"]);
  });

  it("local: complete (public client redirect, fallback public client, admin consent to User.Read)", async () => {
    const t = tenant();
    const { first } = await withFaults(t, 13, { preset: "local" });
    const local = app(t, first.result.outcome.app.appId);
    expect(local.publicClient.redirectUris).toEqual(["http://localhost"]);
    expect(local.isFallbackPublicClient).toBe(true);
    const [sp] = servicePrincipal(t, local.appId);
    expect(
      t.store.state.oauth2PermissionGrants.filter((g) => g.clientId === sp!.id).map((g) => g.scope),
    ).toEqual(["User.Read"]);
  });

  it("proxy: complete (callback redirect URI, scope, pre-authorization, one secret)", async () => {
    const t = tenant();
    const { first } = await withFaults(t, 14, { preset: "proxy", serverUrl: "http://localhost:8787/mcp" });
    const proxy = app(t, first.result.outcome.app.appId);
    expect(proxy.web.redirectUris).toEqual(["http://localhost:8787/oauth/callback"]);
    expect(proxy.api.preAuthorizedApplications.map((entry) => entry.appId)).toEqual([VSCODE_CLIENT_ID]);
    expect(proxy.passwordCredentials).toHaveLength(1);
    expect(servicePrincipal(t, proxy.appId)).toHaveLength(1);
  });
});
