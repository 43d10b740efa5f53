import { describe, expect, it } from "vitest";
import { desiredRegistration } from "../../../../src/entra/registration/desired.js";
import {
  envVariables,
  MANAGED_IDENTITY_HOST_VARIABLES,
  SERVER_VARIABLES,
} from "../../../../src/entra/registration/lifecycle/project-cleanup.js";
import { PRESETS } from "../../../../src/entra/registration/model.js";
import { registerOptionsSchema } from "../../../../src/entra/registration/options.js";
import { envValues, secretVariable } from "../../../../src/entra/registration/project-outputs.js";
import type { TenantTarget } from "../../../../src/entra/tenant-target.js";
import { devTenantGraphPermissions } from "../../../helpers/graph-permissions.js";

const target = {
  kind: "dev",
  tenantId: "t",
  authorityHost: "https://localhost:1",
  authority: "https://localhost:1/t",
  graphBaseUrl: "https://localhost:1",
  caPems: [],
  caFile: "/ca.pem",
  label: "dev",
  graphToken: async () => "",
} satisfies TenantTarget;

describe("the .env variables app delete removes", () => {
  it.each(PRESETS)("name exactly what register writes for %s (besides the server settings)", (preset) => {
    const desired = desiredRegistration(
      registerOptionsSchema.parse({ preset, api: "00000000-0000-4000-8000-000000000001" }),
      {
        projectName: "demo",
        graph: devTenantGraphPermissions(),
        apiAppId: "00000000-0000-4000-8000-000000000001",
      },
    );
    const record = {
      preset,
      displayName: "d",
      uniqueName: "u",
      appId: "a",
      appIdUri: "api://a",
      scopes: ["api://a/s"],
      roles: [],
      federatedCredentials: [],
    };
    const written = new Set([
      ...Object.keys(envValues(desired, record, { ...target, kind: "dev" })),
      ...(desired.credential.kind === "secret" ? [secretVariable(desired)] : []),
      // With --credential managed-identity, the dev tenant's managed identity endpoint (managedIdentityHostEnv).
      ...(preset === "remote" || preset === "proxy" ? MANAGED_IDENTITY_HOST_VARIABLES : []),
    ]);
    for (const name of SERVER_VARIABLES) written.delete(name);
    const { app, tenant } = envVariables(preset);
    expect(new Set([...app, ...tenant])).toEqual(written);
  });
});
