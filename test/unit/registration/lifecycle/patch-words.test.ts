import { describe, expect, it } from "vitest";
import {
  applicationCreateBody,
  applicationPatches,
} from "../../../../src/entra/registration/application-diff.js";
import { desiredRegistration } from "../../../../src/entra/registration/desired.js";
import { describePatch } from "../../../../src/entra/registration/lifecycle/patch-words.js";
import { registerOptionsSchema } from "../../../../src/entra/registration/options.js";
import { VSCODE_CLIENT_ID } from "../../../../src/entra/well-known.js";
import { newApplication } from "../../../../src/tenant/directory/object-factories.js";
import type { Application } from "../../../../src/tenant/directory/tenant-state.js";
import { devTenantGraphPermissions } from "../../../helpers/graph-permissions.js";

const want = (flags: Record<string, unknown>) =>
  desiredRegistration(registerOptionsSchema.parse({ preset: "remote", ...flags }), {
    projectName: "demo",
    graph: devTenantGraphPermissions(),
    uniqueName: "demo-remote",
  });

/** An app in the tenant that register made with `flags`. */
function registered(flags: Record<string, unknown>): Application {
  const desired = want(flags);
  const { "owners@odata.bind": _owners, ...body } = applicationCreateBody(desired, []);
  let app = newApplication(body as never, new Date().toISOString());
  for (const patch of applicationPatches(desired, app))
    app = { ...app, ...(patch.body as Partial<Application>) };
  return app;
}

/** The words for each PATCH that turns an app registered with `from` into one registered with `to`. */
function words(from: Record<string, unknown>, to: Record<string, unknown>): string[][] {
  let app = registered(from);
  return applicationPatches(want(to), app).map((patch) => {
    const lines = describePatch(patch.body, app, {}, devTenantGraphPermissions());
    app = { ...app, ...(patch.body as Partial<Application>) };
    return lines;
  });
}

describe("PATCHes in words", () => {
  it("a removed role is disabled first, then removed", () => {
    expect(words({}, { role: ["Tools.Read"] })).toEqual([
      ["disable app role Tools.Admin"],
      ["remove app role Tools.Admin"],
    ]);
  });

  it("a new scope is added, then pre-authorized in a request of its own", () => {
    expect(words({}, { scope: ["user_impersonation", "mcp.admin"] })).toEqual([
      ["add scope mcp.admin"],
      [
        `pre-authorize Visual Studio Code (${VSCODE_CLIENT_ID}) for mcp.admin, user_impersonation (was user_impersonation)`,
      ],
    ]);
  });

  it("properties, redirect URIs, permissions, the token version and pre-authorization", () => {
    expect(
      words(
        { spaRedirectUri: ["https://a.example.com"] },
        {
          spaRedirectUri: ["https://b.example.com"],
          graphPermission: ["User.Read", "offline_access"],
          graphAppPermission: ["User.Read.All"],
          tokenVersion: 1,
          preAuthorizeVscode: false,
        },
      ),
    ).toEqual([
      [
        "add single-page app redirect URI https://b.example.com",
        "remove single-page app redirect URI https://a.example.com",
        "request Microsoft Graph offline_access (delegated)",
        "request Microsoft Graph User.Read.All (application)",
        "set the access token version to 1 (was 2)",
        `remove the pre-authorization of Visual Studio Code (${VSCODE_CLIENT_ID})`,
      ],
    ]);
  });

  it("a new name changes the scope's consent texts, which Graph wants disabled first", () => {
    expect(words({}, { name: "Renamed" })).toEqual([
      [
        "disable scope user_impersonation",
        `remove the pre-authorization of Visual Studio Code (${VSCODE_CLIENT_ID})`,
      ],
      [
        'set the display name to "Renamed" (was "demo (MCP remote)")',
        "change scope user_impersonation (adminConsentDisplayName, adminConsentDescription, userConsentDisplayName, userConsentDescription)",
        `pre-authorize Visual Studio Code (${VSCODE_CLIENT_ID}) for user_impersonation`,
      ],
    ]);
  });
});
