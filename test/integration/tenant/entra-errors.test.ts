import { randomUUID } from "node:crypto";
import { beforeAll, describe, it } from "vitest";
import { GITHUB_ACTIONS_ISSUER, VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import type { DevTenant } from "../../../src/tenant/index.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { expectEntraError, expectMsalEntraError } from "../../helpers/entra-error.js";
import { confidentialClient, postToken } from "../../helpers/msal-clients.js";
import { addFederatedCredential, type SeededApp, seedApp } from "../../helpers/seed-apps.js";

/**
 * Every AADSTS error of the token endpoint that MCP developers meet, provoked over real HTTPS (through
 * msal-node when it can express the request) and checked for Entra's exact shape.
 */
describe("token endpoint errors in Entra's shape", () => {
  const tenant = useDevTenant();
  let t: DevTenant;
  let api: SeededApp;
  let client: SeededApp;
  let expired: SeededApp;
  let withoutSp: SeededApp;
  let ci: SeededApp;
  const ciSubject = "repo:contoso/mcp-server:ref:refs/heads/main";

  beforeAll(async () => {
    t = tenant();
    api = await seedApp(t, { displayName: "api", tokenVersion: 2, exposes: ["access_as_user"] });
    client = await seedApp(t, { displayName: "client", identifierUri: false, secret: true });
    expired = await seedApp(t, {
      displayName: "expired",
      identifierUri: false,
      secret: { endDateTime: new Date(Date.now() - 60_000).toISOString() },
    });
    withoutSp = await seedApp(t, {
      displayName: "no sp",
      identifierUri: false,
      servicePrincipal: false,
      secret: true,
    });
    ci = await seedApp(t, { displayName: "ci", identifierUri: false });
    await addFederatedCredential(t, ci.appId, { issuer: GITHUB_ACTIONS_ISSUER, subject: ciSubject });
  });

  /** msal client credentials with a secret. */
  function withSecret(clientId: string, secret: string, scopes: string[], code: number) {
    const { msal, responses } = confidentialClient(t, { clientId, clientSecret: secret });
    return expectMsalEntraError(msal.acquireTokenByClientCredential({ scopes }), responses, code);
  }

  /** msal client credentials with a federated assertion. */
  function withAssertion(assertion: string, code: number) {
    const { msal, responses } = confidentialClient(t, { clientId: ci.appId, clientAssertion: assertion });
    return expectMsalEntraError(
      msal.acquireTokenByClientCredential({ scopes: [`${api.uri}/.default`] }),
      responses,
      code,
    );
  }

  /** A raw client credentials request (what msal refuses to send). */
  async function raw(params: Record<string, string>, code: number, segment?: string) {
    const body = {
      grant_type: "client_credentials",
      client_id: client.appId,
      client_secret: client.secret!,
      scope: `${api.uri}/.default`,
      ...params,
    };
    for (const [name, value] of Object.entries(body))
      if (value === "") delete body[name as keyof typeof body];
    expectEntraError(await postToken(t, body, { segment }), code);
  }

  const cases: [number, string, () => Promise<void>][] = [
    [700016, "unknown client id", () => withSecret(randomUUID(), "secret", [`${api.uri}/.default`], 700016)],
    [
      7000215,
      "wrong client secret",
      () => withSecret(client.appId, "wrong", [`${api.uri}/.default`], 7000215),
    ],
    [
      7000222,
      "expired client secret",
      () => withSecret(expired.appId, expired.secret!, [`${api.uri}/.default`], 7000222),
    ],
    [
      9010010,
      "resource parameter for another API",
      () => raw({ resource: "https://mcp.example.com" }, 9010010),
    ],
    [900144, "no scope", () => raw({ scope: "" }, 900144)],
    [
      500011,
      "scope of an unknown API",
      () => withSecret(client.appId, client.secret!, ["api://nothing-here/.default"], 500011),
    ],
    [
      90112,
      "client id that is not a GUID",
      () => withSecret("https://client.example.com/metadata.json", "secret", [`${api.uri}/.default`], 90112),
    ],
    [
      700024,
      "expired federated assertion",
      async () => {
        const assertion = await t.githubActionsToken({
          repository: "contoso/mcp-server",
          claims: {
            iat: t.clock.nowSeconds() - 3600,
            nbf: t.clock.nowSeconds() - 3600,
            exp: t.clock.nowSeconds() - 1800,
          },
        });
        await withAssertion(assertion, 700024);
      },
    ],
    [
      700213,
      "federated assertion for another subject",
      async () => withAssertion(await t.githubActionsToken({ repository: "contoso/other" }), 700213),
    ],
    [
      700212,
      "federated assertion for another audience",
      async () =>
        withAssertion(
          await t.githubActionsToken({ repository: "contoso/mcp-server", audience: "api://other" }),
          700212,
        ),
    ],
    [50059, "client credentials on /common", () => raw({}, 50059, "common")],
    [
      1002012,
      "client credentials without /.default",
      () => withSecret(client.appId, client.secret!, [`${api.uri}/access_as_user`], 1002012),
    ],
    [
      28000,
      "scopes of two APIs",
      () =>
        withSecret(
          client.appId,
          client.secret!,
          [`${api.uri}/.default`, "https://graph.microsoft.com/.default"],
          28000,
        ),
    ],
    [7000218, "confidential flow without a credential", () => raw({ client_secret: "" }, 7000218)],
    [
      7000229,
      "client without a service principal",
      () => withSecret(withoutSp.appId, withoutSp.secret!, [`${api.uri}/.default`], 7000229),
    ],
    [90002, "unknown tenant", () => raw({}, 90002, randomUUID())],
    [70003, "unsupported grant type", () => raw({ grant_type: "urn:example:unsupported" }, 70003)],
  ];

  it.each(cases)("AADSTS%i: %s", async (_code, _what, provoke) => {
    await provoke();
  });

  it("AADSTS650053: a Graph scope that does not exist (on-behalf-of)", async () => {
    const middle = await seedApp(t, { displayName: "middle", exposes: ["access_as_user"], secret: true });
    const { access_token: assertion } = await t.issueToken({
      clientId: VSCODE_CLIENT_ID,
      scope: `${middle.uri}/access_as_user`,
      user: t.store.state.users[0]!.userPrincipalName,
    });
    const { msal, responses } = confidentialClient(t, {
      clientId: middle.appId,
      clientSecret: middle.secret!,
    });
    await expectMsalEntraError(
      msal.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: ["User.Fly"] }),
      responses,
      650053,
    );
  });
});
