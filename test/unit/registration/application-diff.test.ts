import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import {
  applicationCreateBody,
  applicationPatches,
} from "../../../src/entra/registration/application-diff.js";
import { desiredRegistration } from "../../../src/entra/registration/desired.js";
import type { DesiredRegistration } from "../../../src/entra/registration/model.js";
import { registerOptionsSchema } from "../../../src/entra/registration/options.js";
import { VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import { newApplication } from "../../../src/tenant/directory/object-factories.js";
import type { Application } from "../../../src/tenant/directory/tenant-state.js";
import { devTenantGraphPermissions } from "../../helpers/graph-permissions.js";

function desired(flags: Record<string, unknown>, uniqueName = "demo-remote-abc123"): DesiredRegistration {
  return desiredRegistration(registerOptionsSchema.parse(flags), {
    projectName: "demo",
    graph: devTenantGraphPermissions(),
    uniqueName,
  });
}

/** What the tenant holds after a create: Graph's defaults plus the body. */
function created(body: Record<string, unknown>): Application {
  const { "owners@odata.bind": _owners, ...fields } = body;
  return newApplication(fields as never, new Date().toISOString());
}

/** PATCH semantics: top-level properties replaced whole. */
function apply(app: Application, body: Record<string, unknown>): Application {
  return { ...app, ...(body as Partial<Application>) };
}

function converge(want: DesiredRegistration, app: Application): Application {
  let current = app;
  for (const patch of applicationPatches(want, current)) current = apply(current, patch.body);
  return current;
}

describe("remote preset", () => {
  const want = desired({ preset: "remote" });

  it("exposes one scope, two roles, v2 tokens, VS Code pre-authorized and Graph User.Read", () => {
    expect(want.scopes.map((s) => s.value)).toEqual(["user_impersonation"]);
    expect(want.roles.map((r) => r.value)).toEqual(["Tools.Read", "Tools.Admin"]);
    expect(want.requestedAccessTokenVersion).toBe(2);
    expect(want.preAuthorizedClientIds).toEqual([VSCODE_CLIENT_ID]);
    expect(want.identifierUri).toBe("api://{appId}");
    expect(want.serverUrl).toBe("http://localhost:3000/mcp");
    expect(want.credential).toEqual({ kind: "secret", lifetimeDays: 180, rotate: false });
  });

  it("creates without identifier URI or pre-authorization, then sets both in one PATCH", () => {
    const body = applicationCreateBody(want, ["owner-id"]);
    expect(body.identifierUris).toBeUndefined();
    expect((body.api as Application["api"]).preAuthorizedApplications).toBeUndefined();
    expect(body["owners@odata.bind"]).toEqual(["https://graph.microsoft.com/v1.0/directoryObjects/owner-id"]);
    const app = created(body);
    const patches = applicationPatches(want, app);
    expect(patches).toHaveLength(1);
    expect(Object.keys(patches[0]!.body).sort()).toEqual(["api", "identifierUris"]);
    expect(patches[0]!.body.identifierUris).toEqual([`api://${app.appId}`]);
    const scopeId = app.api.oauth2PermissionScopes[0]!.id;
    expect((patches[0]!.body.api as Application["api"]).preAuthorizedApplications).toEqual([
      { appId: VSCODE_CLIENT_ID, delegatedPermissionIds: [scopeId] },
    ]);
  });

  it("plans nothing once the application matches", () => {
    const app = converge(want, created(applicationCreateBody(want, [])));
    expect(applicationPatches(want, app)).toEqual([]);
    // A fresh computation of the same flags (new object, same values) is still a no-op.
    expect(applicationPatches(desired({ preset: "remote" }), app)).toEqual([]);
  });

  it("renaming a scope disables the old one first, then replaces it, then pre-authorizes the new id", () => {
    const app = converge(want, created(applicationCreateBody(want, [])));
    const renamed = desired({ preset: "remote", scope: "tools.use" });
    const patches = applicationPatches(renamed, app);
    expect(patches.map((p) => p.reason)).toEqual([
      expect.stringContaining("disable"),
      expect.stringContaining("api"),
      expect.stringContaining("pre-authorize"),
    ]);
    const first = patches[0]!.body.api as Application["api"];
    expect(first.oauth2PermissionScopes[0]).toMatchObject({ value: "user_impersonation", isEnabled: false });
    const final = converge(renamed, app);
    expect(final.api.oauth2PermissionScopes.map((s) => s.value)).toEqual(["tools.use"]);
    expect(final.api.preAuthorizedApplications[0]!.delegatedPermissionIds).toEqual([
      final.api.oauth2PermissionScopes[0]!.id,
    ]);
  });

  it("changing one flag changes exactly that part", () => {
    const app = converge(want, created(applicationCreateBody(want, [])));
    const patches = applicationPatches(desired({ preset: "remote", preAuthorizeVscode: false }), app);
    expect(patches).toHaveLength(1);
    expect(Object.keys(patches[0]!.body)).toEqual(["api"]);
    expect((patches[0]!.body.api as Application["api"]).preAuthorizedApplications).toEqual([]);
  });

  it("uses an https server URL on its own as the Application ID URI", () => {
    const https = desired({ preset: "remote", serverUrl: "https://mcp.contoso.example/mcp/" });
    expect(https.serverUrl).toBe("https://mcp.contoso.example/mcp");
    expect(https.identifierUri).toBe("https://mcp.contoso.example/mcp");
    expect(applicationCreateBody(https, []).identifierUris).toEqual(["https://mcp.contoso.example/mcp"]);
  });
});

describe("other presets", () => {
  it("local: a public client with a loopback redirect and Graph User.Read, no API", () => {
    const want = desired({ preset: "local" });
    expect(want.redirectUris.publicClient).toEqual(["http://localhost"]);
    expect(want.isFallbackPublicClient).toBe(true);
    expect(want.scopes).toEqual([]);
    expect(want.identifierUri).toBeNull();
    expect(want.credential.kind).toBe("none");
  });

  it("proxy: the server's OAuth callback as a web redirect URI", () => {
    const want = desired({ preset: "proxy", serverUrl: "http://localhost:4000/mcp" });
    expect(want.redirectUris.web).toEqual(["http://localhost:4000/oauth/callback"]);
  });

  it("ci: a federated credential for a GitHub branch or environment", () => {
    const want = desiredRegistration(
      registerOptionsSchema.parse({ preset: "ci", githubRepo: "octo/mcp", githubEnvironment: "prod" }),
      {
        projectName: "demo",
        graph: devTenantGraphPermissions(),
        apiAppId: "11111111-1111-1111-1111-111111111111",
      },
    );
    expect(want.credential.kind).toBe("none");
    expect(want.federatedCredentials).toEqual([
      expect.objectContaining({
        issuer: "https://token.actions.githubusercontent.com",
        subject: "repo:octo/mcp:environment:prod",
        audiences: ["api://AzureADTokenExchange"],
      }),
    ]);
    expect(want.roleAssignments).toEqual([
      { resourceAppId: "11111111-1111-1111-1111-111111111111", roleValues: ["Tools.Read"] },
    ]);
  });
});

describe("flag validation", () => {
  it.each([
    [{ preset: "nope" }, "--preset"],
    [{ preset: "remote", preAuthorize: "not-a-guid" }, "--pre-authorize"],
    [{ preset: "remote", redirectUri: "http://example.com/cb" }, "--redirect-uri"],
    [{ preset: "remote", name: "x".repeat(121) }, "--name"],
    [{ preset: "remote", secretLifetime: 1000 }, "--secret-lifetime"],
  ])("%j is refused naming %s", async (flags, flag) => {
    const { parseOptions } = await import("../../../src/core/parse-options.js");
    expect(() => parseOptions(registerOptionsSchema, flags)).toThrow(UsageError);
    expect(() => parseOptions(registerOptionsSchema, flags)).toThrow(flag);
  });

  it("refuses flags that do not apply to the preset", () => {
    expect(() => desired({ preset: "local", scope: "x" })).toThrow("--scope");
    expect(() => desired({ preset: "ci", githubRef: "refs/heads/main" })).toThrow("--github-repo");
  });
});
