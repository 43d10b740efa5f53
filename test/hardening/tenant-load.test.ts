import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeJwt, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { trustedFetch } from "../../src/entra/trust.js";
import {
  addPassword,
  newApplication,
  newAppRoleAssignment,
  newServicePrincipal,
} from "../../src/tenant/directory/object-factories.js";
import { newUser } from "../../src/tenant/directory/seed.js";
import type { TenantState } from "../../src/tenant/directory/tenant-state.js";
import type { DevTenant, User } from "../../src/tenant/index.js";
import { hashSecret } from "../../src/tenant/secrets/passwords.js";
import { useDevTenant } from "../helpers/dev-tenant.js";
import { type ApiFixture, aadstsCode, addApi, addClient, pkce } from "../helpers/sign-in-fixtures.js";

/**
 * One dev tenant, real HTTPS, many requests at once: 100 auth-code + PKCE flows (auto-approve) and
 * 100 client-credentials requests. Nothing may be lost or crossed between requests, every code
 * works exactly once, and the state file stays whole.
 */

const FLOWS = 100;
const REDIRECT = "http://localhost:3000";

interface Flow {
  user: User;
  clientId: string;
  nonce: string;
  state: string;
  verifier: string;
  code?: string;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

describe("the dev tenant under load", () => {
  const tenant = useDevTenant();
  let t: DevTenant;
  let fetchTls: ReturnType<typeof trustedFetch>;
  let api: ApiFixture;
  let users: User[];
  let publicClients: string[];

  const post = async (form: Record<string, string>): Promise<Answer> => {
    const response = await fetchTls(t.urls.token, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    }).catch((error: Error) => {
      throw new Error(`POST token (${form.grant_type}) failed: ${error.message}`, { cause: error });
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  /** /authorize in auto-approve mode, signing in the flow's user (login_hint): the code. */
  const authorize = async (flow: Flow): Promise<string> => {
    const url = new URL(t.urls.authorize);
    const challenge = pkce();
    flow.verifier = challenge.verifier;
    for (const [name, value] of Object.entries({
      response_type: "code",
      client_id: flow.clientId,
      redirect_uri: REDIRECT,
      scope: `${api.scope} openid offline_access`,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: challenge.challenge,
      code_challenge_method: "S256",
      login_hint: flow.user.userPrincipalName,
    })) {
      url.searchParams.set(name, value);
    }
    const response = await fetchTls(url, { redirect: "manual" }).catch((error: Error) => {
      throw new Error(`GET authorize failed: ${error.message}`, { cause: error });
    });
    expect(response.status, await response.text()).toBe(302);
    const location = new URL(response.headers.get("location")!);
    expect(location.searchParams.get("state")).toBe(flow.state);
    return location.searchParams.get("code")!;
  };

  const redeem = (flow: Flow) =>
    post({
      grant_type: "authorization_code",
      client_id: flow.clientId,
      code: flow.code!,
      redirect_uri: REDIRECT,
      code_verifier: flow.verifier,
    });

  /** The tokens belong to this flow and no other: user, client, nonce. */
  const expectOwnTokens = (flow: Flow, body: Record<string, unknown>) => {
    const access = decodeJwt(String(body.access_token));
    const id = decodeJwt(String(body.id_token));
    expect(access).toMatchObject({ oid: flow.user.id, azp: flow.clientId, aud: api.app.appId });
    expect(access.preferred_username).toBe(flow.user.userPrincipalName);
    expect(id).toMatchObject({ oid: flow.user.id, aud: flow.clientId, nonce: flow.nonce });
    return { access, id };
  };

  const newFlows = (count: number): Flow[] =>
    Array.from({ length: count }, (_, i) => ({
      user: users[i % users.length]!,
      // Every user with every client.
      clientId: publicClients[Math.floor(i / users.length) % publicClients.length]!,
      nonce: randomUUID(),
      state: randomUUID(),
      verifier: "",
    }));

  beforeAll(async () => {
    t = tenant();
    fetchTls = trustedFetch([t.caPem]);
    api = await addApi(t);
    users = await t.store.commit((state) => {
      const added = Array.from({ length: 7 }, (_, i) =>
        newUser(state.tenant.domain, { alias: `load-${i}`, displayName: `Load ${i}` }),
      );
      state.users.push(...added);
      return state.users.filter((user) => user.accountEnabled);
    });
    publicClients = [];
    for (const name of ["load client A", "load client B"]) {
      publicClients.push((await addClient(t, { publicClient: [REDIRECT], name })).app.appId);
    }
    const response = await fetchTls(`${t.url}/_admin/settings`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${t.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ autoApprove: users[0]!.userPrincipalName }),
    });
    expect(response.status).toBe(200);
  });

  it("runs 100 concurrent auth-code flows: each code once, nothing crossed, refresh tokens on disk", async () => {
    const flows = newFlows(FLOWS);
    const codes = await Promise.all(flows.map(authorize));
    flows.forEach((flow, i) => {
      flow.code = codes[i];
    });
    expect(new Set(codes).size).toBe(FLOWS);

    const answers = await Promise.all(flows.map(redeem));
    const refreshTokens: string[] = [];
    const subjects = new Map<string, string>();
    flows.forEach((flow, i) => {
      const { status, body } = answers[i]!;
      expect(status, JSON.stringify(body.error_codes)).toBe(200);
      const { access } = expectOwnTokens(flow, body);
      // One pairwise subject per user for this API, whichever client asked.
      const known = subjects.get(flow.user.id) ?? String(access.sub);
      expect(access.sub).toBe(known);
      subjects.set(flow.user.id, known);
      refreshTokens.push(String(body.refresh_token));
    });
    expect(new Set(subjects.values()).size).toBe(users.length);

    // The state file, as the tenant wrote it: whole, every refresh token in it, no duplicate consent.
    const onDisk = JSON.parse(await readFile(join(t.dir, "state.json"), "utf8")) as TenantState;
    for (const token of refreshTokens) expect(onDisk.refreshTokens[hashSecret(token)]).toBeDefined();
    expectOneOfEach(onDisk, publicClients, users);

    // Every refresh token works, still for its own user and client.
    const refreshed = await Promise.all(
      flows.map((flow, i) =>
        post({ grant_type: "refresh_token", client_id: flow.clientId, refresh_token: refreshTokens[i]! }),
      ),
    );
    refreshed.forEach(({ status, body }, i) => {
      expect(status, JSON.stringify(body.error_codes)).toBe(200);
      expect(decodeJwt(String(body.access_token))).toMatchObject({
        oid: flows[i]!.user.id,
        azp: flows[i]!.clientId,
      });
    });

    // A second redemption of each code fails with 54005, and revokes what the code gave.
    const replays = await Promise.all(flows.map(redeem));
    for (const { status, body } of replays) {
      expect(status).toBe(400);
      expect(aadstsCode(body)).toBe(54005);
    }
    const afterReplay = await Promise.all(
      flows.map((flow, i) =>
        post({
          grant_type: "refresh_token",
          client_id: flow.clientId,
          refresh_token: String(refreshed[i]!.body.refresh_token),
        }),
      ),
    );
    for (const { status, body } of afterReplay) {
      expect(status).toBe(400);
      expect(aadstsCode(body)).toBe(70000);
    }
  }, 120_000);

  it("lets exactly one of two simultaneous redemptions of a code win, and the replay revokes its tokens", async () => {
    const flows = newFlows(50);
    await Promise.all(
      flows.map(async (flow) => {
        flow.code = await authorize(flow);
      }),
    );
    const pairs = await Promise.all(flows.map((flow) => Promise.all([redeem(flow), redeem(flow)])));
    const winners: string[] = [];
    pairs.forEach((pair, i) => {
      const ok = pair.filter((answer) => answer.status === 200);
      expect(ok.length).toBe(1);
      const lost = pair.find((answer) => answer.status !== 200)!;
      expect(aadstsCode(lost.body)).toBe(54005);
      expectOwnTokens(flows[i]!, ok[0]!.body);
      winners.push(String(ok[0]!.body.refresh_token));
    });
    const used = await Promise.all(
      flows.map((flow, i) =>
        post({ grant_type: "refresh_token", client_id: flow.clientId, refresh_token: winners[i]! }),
      ),
    );
    const survivors = used.filter((answer) => answer.status === 200).length;
    expect(survivors, "refresh tokens that outlived a replay of their code").toBe(0);
  }, 120_000);

  it("answers 100 concurrent client-credentials requests of 4 clients, each with its own roles", async () => {
    const { apiAppId, clients } = await t.store.commit((state) => appOnlyFixture(state));
    const answers = await Promise.all(
      Array.from({ length: FLOWS }, (_, i) => {
        const client = clients[i % clients.length]!;
        return post({
          grant_type: "client_credentials",
          client_id: client.appId,
          client_secret: client.secret,
          scope: `api://${apiAppId}/.default`,
        }).then((answer) => ({ answer, client }));
      }),
    );
    for (const { answer, client } of answers) {
      expect(answer.status, JSON.stringify(answer.body.error_codes)).toBe(200);
      const claims: JWTPayload = decodeJwt(String(answer.body.access_token));
      expect(claims).toMatchObject({ azp: client.appId, aud: apiAppId, oid: client.spId, idtyp: "app" });
      expect(claims.roles).toEqual([client.role]);
    }
    const onDisk = JSON.parse(await readFile(join(t.dir, "state.json"), "utf8")) as TenantState;
    expect(onDisk.applications.length).toBe(t.store.state.applications.length);
  }, 120_000);
});

/**
 * After concurrent first sign-ins: one service principal per client, no duplicate grant, and every
 * user's consent recorded (its own grant, or the organization's when an administrator consented).
 */
function expectOneOfEach(state: TenantState, clientIds: string[], users: User[]): void {
  const grantKeys = state.oauth2PermissionGrants.map(
    (grant) => `${grant.clientId} ${grant.resourceId} ${grant.consentType} ${grant.principalId}`,
  );
  expect(grantKeys.length, "duplicate grants").toBe(new Set(grantKeys).size);
  for (const appId of clientIds) {
    const principals = state.servicePrincipals.filter((sp) => sp.appId === appId);
    expect(principals.length, `service principals of ${appId}`).toBe(1);
    const grants = state.oauth2PermissionGrants.filter((grant) => grant.clientId === principals[0]!.id);
    for (const user of users) {
      const covered = grants.some(
        (grant) => grant.consentType === "AllPrincipals" || grant.principalId === user.id,
      );
      expect(covered, `consent of ${user.userPrincipalName} to ${appId}`).toBe(true);
    }
  }
}

/** An API with 4 application roles and 4 confidential clients, each assigned a different one. */
function appOnlyFixture(state: TenantState) {
  const now = new Date().toISOString();
  const roles = ["Load.A", "Load.B", "Load.C", "Load.D"];
  const api = newApplication(
    {
      displayName: "load API",
      api: { requestedAccessTokenVersion: 2 },
      appRoles: roles.map((value) => ({
        id: randomUUID(),
        value,
        displayName: value,
        description: value,
        allowedMemberTypes: ["Application"],
        isEnabled: true,
      })),
    },
    now,
  );
  api.identifierUris = [`api://${api.appId}`];
  state.applications.push(api);
  const apiSp = newServicePrincipal(state, api, now);
  state.servicePrincipals.push(apiSp);
  const clients = api.appRoles.map((role, i) => {
    const app = newApplication({ displayName: `load daemon ${i}` }, now);
    state.applications.push(app);
    const sp = newServicePrincipal(state, app, now);
    state.servicePrincipals.push(sp);
    state.appRoleAssignments.push(
      newAppRoleAssignment(
        { id: sp.id, displayName: app.displayName, type: "ServicePrincipal" },
        apiSp,
        role.id,
        now,
      ),
    );
    const { secretText } = addPassword(state, app, {}, Date.now());
    return { appId: app.appId, spId: sp.id, secret: secretText, role: role.value };
  });
  return { apiAppId: api.appId, clients };
}
