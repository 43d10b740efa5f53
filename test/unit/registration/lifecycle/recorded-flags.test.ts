import { describe, expect, it } from "vitest";
import type { ProjectApp } from "../../../../src/core/project-config.js";
import { desiredRegistration } from "../../../../src/entra/registration/desired.js";
import { registerOptionsSchema } from "../../../../src/entra/registration/options.js";
import { desiredFromRecord, recordedFlags } from "../../../../src/entra/registration/recorded-flags.js";
import { devTenantGraphPermissions } from "../../../helpers/graph-permissions.js";

const APP_ID = "11111111-2222-4333-8444-555555555555";

/** What register records for a run with these flags (as projectAppRecord + recordedFlags do). */
function recordFor(flags: Record<string, unknown>) {
  const options = registerOptionsSchema.parse(flags);
  const desired = desiredRegistration(options, {
    projectName: "demo",
    graph: devTenantGraphPermissions(),
    uniqueName: "demo-x",
    apiAppId: APP_ID,
  });
  const appIdUri = desired.identifierUri?.replace("{appId}", APP_ID);
  const record: ProjectApp = {
    preset: desired.preset,
    displayName: desired.displayName,
    uniqueName: desired.uniqueName,
    appId: APP_ID,
    appIdUri,
    serverUrl: desired.serverUrl ?? undefined,
    scopes: appIdUri ? desired.scopes.map((s) => `${appIdUri}/${s.value}`) : [],
    roles: desired.roles.map((r) => r.value),
    federatedCredentials: desired.federatedCredentials.map((f) => f.name),
    apiAppId: desired.roleAssignments[0]?.resourceAppId,
    flags: recordedFlags(options),
  };
  return { desired, record };
}

describe("recorded register flags", () => {
  it("records nothing for a run with the defaults, and only what differs otherwise", () => {
    expect(
      recordedFlags(registerOptionsSchema.parse({ preset: "remote", dir: "/x", dryRun: true })),
    ).toBeUndefined();
    expect(
      recordedFlags(
        registerOptionsSchema.parse({
          preset: "remote",
          preAuthorizeVscode: false,
          tokenVersion: "2",
          name: "N",
        }),
      ),
    ).toEqual({ preAuthorizeVscode: false });
  });

  it.each([
    { preset: "remote" },
    { preset: "remote", scope: ["mcp.tools"], role: ["Admin"], preAuthorizeVscode: false, tokenVersion: 1 },
    {
      preset: "remote",
      serverUrl: "https://mcp.contoso.com/mcp",
      spaRedirectUri: ["https://app.contoso.com"],
    },
    {
      preset: "remote",
      appIdUri: "api://contoso-mcp",
      preAuthorize: ["aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"],
    },
    {
      preset: "proxy",
      serverUrl: "http://localhost:4000/mcp",
      graphPermission: ["User.Read", "offline_access"],
    },
    { preset: "local", publicRedirectUri: ["http://127.0.0.1:8400"], signInAudience: "AzureADMultipleOrgs" },
    { preset: "ci", githubRepo: "contoso/mcp", githubEnvironment: "prod", ciRole: ["Tools.Admin"] },
  ])("the record reproduces what register asked for: %o", (flags) => {
    const { desired, record } = recordFor(flags);
    expect(desiredFromRecord(record, desired.key, devTenantGraphPermissions())).toEqual(desired);
  });
});
