import { describe, expect, it } from "vitest";
import { desiredRegistration } from "../../../src/entra/registration/desired.js";
import { APP_ID_URI_PLACEHOLDER } from "../../../src/entra/registration/model.js";
import { registerOptionsSchema } from "../../../src/entra/registration/options.js";
import { devTenantGraphPermissions } from "../../helpers/graph-permissions.js";

describe("the default Application ID URI", () => {
  const identifierUri = (serverUrl: string, flags: Record<string, unknown> = {}) =>
    desiredRegistration(registerOptionsSchema.parse({ preset: "remote", serverUrl, ...flags }), {
      projectName: "demo",
      graph: devTenantGraphPermissions(),
    }).identifierUri;

  it("is the server URL when it is https on a real host", () => {
    expect(identifierUri("https://mcp.contoso.com/mcp")).toBe("https://mcp.contoso.com/mcp");
  });

  it("is api://{appId} for http, and for https on localhost (never a verified domain)", () => {
    for (const url of [
      "http://localhost:3000/mcp",
      "https://localhost:3443/mcp",
      "https://127.0.0.1:3443/mcp",
      "https://[::1]:3443/mcp",
    ]) {
      expect(identifierUri(url), url).toBe(APP_ID_URI_PLACEHOLDER);
    }
  });

  it("is --app-id-uri when given", () => {
    expect(identifierUri("https://localhost:3443/mcp", { appIdUri: "api://demo" })).toBe("api://demo");
  });
});

describe("--credential managed-identity", () => {
  const identity = {
    name: "mcp-server",
    clientId: "7e307b14-2a27-4f66-ada8-ec6400eb4977",
    principalId: "0b1f8e8a-4c1e-4d6b-9d39-2f1c3f0a6a11",
  };
  const issuer = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0";
  const desired = (flags: Record<string, unknown>) =>
    desiredRegistration(registerOptionsSchema.parse(flags), {
      projectName: "demo",
      graph: devTenantGraphPermissions(),
      managedIdentity: { identity, issuer },
    });

  it("trusts the identity with a federated credential (tenant issuer, principal id, exchange audience), no secret", () => {
    for (const flags of [
      { preset: "remote", credential: "managed-identity", managedIdentity: identity.clientId },
      { preset: "proxy", managedIdentity: identity.principalId },
    ]) {
      const registration = desired(flags);
      expect(registration.credential).toEqual({ kind: "managed-identity", identity, issuer });
      expect(registration.federatedCredentials).toEqual([
        {
          name: `managed-identity-${identity.principalId}`,
          issuer,
          subject: identity.principalId,
          audiences: ["api://AzureADTokenExchange"],
          description: `Managed identity mcp-server (client id ${identity.clientId})`,
        },
      ]);
    }
  });

  it("refuses the flags that do not go with it, naming the flag", () => {
    expect(() => desired({ preset: "remote", credential: "managed-identity" })).toThrow(
      /^--managed-identity: is required with --credential managed-identity/,
    );
    expect(() => desired({ preset: "local", managedIdentity: identity.clientId })).toThrow(
      /^--managed-identity: a managed identity signs in a server: it applies to the remote and proxy presets, not local/,
    );
    expect(() =>
      desired({ preset: "remote", credential: "secret", managedIdentity: identity.clientId }),
    ).toThrow(/^--managed-identity: cannot be combined with --credential secret/);
    expect(() => registerOptionsSchema.parse({ preset: "remote", managedIdentity: "my-identity" })).toThrow(
      /must be a GUID/,
    );
  });
});
