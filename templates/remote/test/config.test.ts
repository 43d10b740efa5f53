import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, ConfigError, loadConfig } from "../src/config.js";

const valid = {
  ENTRA_TENANT_ID: "11111111-2222-3333-4444-555555555555",
  ENTRA_CLIENT_ID: "66666666-7777-8888-9999-000000000000",
  ENTRA_APP_ID_URI: "api://66666666-7777-8888-9999-000000000000",
  ENTRA_CLIENT_SECRET: "not-a-real-secret",
  MCP_SERVER_URL: "http://localhost:3000/mcp/",
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("applies the documented defaults and canonicalises the server URL", () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      authorityHost: "https://login.microsoftonline.com",
      graphBaseUrl: "https://graph.microsoft.com/v1.0",
      serverUrl: "http://localhost:3000/mcp",
      scope: "api://66666666-7777-8888-9999-000000000000/user_impersonation",
      acceptV1Tokens: false,
      port: 3000,
      host: "127.0.0.1",
      rateLimitPerMinute: 300,
      credential: { kind: "secret" },
    });
  });

  it("reports every missing variable at once, one line each", () => {
    expect(problems({})).toEqual([
      expect.stringMatching(/^ENTRA_TENANT_ID is missing: /),
      expect.stringMatching(/^ENTRA_CLIENT_ID is missing: /),
      expect.stringMatching(/^ENTRA_APP_ID_URI is missing: /),
      expect.stringMatching(/^MCP_SERVER_URL is missing: /),
    ]);
  });

  it("names each invalid variable and what it must be", () => {
    const found = problems({
      ...valid,
      ENTRA_TENANT_ID: "contoso.onmicrosoft.com",
      ENTRA_AUTHORITY_HOST: "http://login.example",
      MCP_SCOPE: "user_impersonation",
      PORT: "99999",
      ENTRA_ACCEPT_V1_TOKENS: "yes",
    });
    expect(found).toEqual([
      expect.stringMatching(/^ENTRA_TENANT_ID must be a GUID/),
      expect.stringMatching(/^ENTRA_AUTHORITY_HOST must be an https URL/),
      expect.stringMatching(/^ENTRA_ACCEPT_V1_TOKENS must be true or false/),
      expect.stringMatching(/^MCP_SCOPE must be a fully qualified scope/),
      expect.stringMatching(/^PORT must be a port number/),
    ]);
  });

  it("needs a credential for on-behalf-of, and both TLS files or neither", () => {
    const { ENTRA_CLIENT_SECRET: _, ...withoutSecret } = valid;
    expect(problems({ ...withoutSecret, TLS_CERT_FILE: "cert.pem" })).toEqual([
      expect.stringMatching(
        /^ENTRA_CLIENT_SECRET, ENTRA_CLIENT_CERTIFICATE_PATH or ENTRA_MANAGED_IDENTITY_CLIENT_ID is missing/,
      ),
      expect.stringMatching(/^TLS_KEY_FILE is missing/),
    ]);
  });

  it("on Azure: a managed identity's client id instead of a secret, never both; AZURE_CLIENT_ID is not read", () => {
    const { ENTRA_CLIENT_SECRET: _, ...withoutSecret } = valid;
    const clientId = "7e307b14-2a27-4f66-ada8-ec6400eb4977";
    expect(
      loadConfig({ ...withoutSecret, ENTRA_MANAGED_IDENTITY_CLIENT_ID: clientId.toUpperCase() }).credential,
    ).toEqual({
      kind: "managed-identity",
      clientId,
    });
    expect(problems({ ...valid, ENTRA_MANAGED_IDENTITY_CLIENT_ID: clientId })).toEqual([
      expect.stringMatching(
        /^ENTRA_MANAGED_IDENTITY_CLIENT_ID and ENTRA_CLIENT_SECRET are both set: set one/,
      ),
    ]);
    // A service principal's AZURE_CLIENT_ID in a developer's shell does not make a managed identity setup.
    expect(loadConfig({ ...valid, AZURE_CLIENT_ID: clientId }).credential).toEqual({
      kind: "secret",
      secret: valid.ENTRA_CLIENT_SECRET,
    });
    expect(problems({ ...withoutSecret, AZURE_CLIENT_ID: clientId })).toEqual([
      expect.stringMatching(/ENTRA_MANAGED_IDENTITY_CLIENT_ID is missing/),
    ]);
    expect(problems({ ...withoutSecret, ENTRA_MANAGED_IDENTITY_CLIENT_ID: "my-identity" })).toEqual([
      expect.stringMatching(/^ENTRA_MANAGED_IDENTITY_CLIENT_ID must be a GUID/),
    ]);
  });

  it("documents every variable in .env.example, and nothing else", () => {
    const example = readFileSync(new URL("../.env.example", import.meta.url), "utf8");
    const documented = [...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it("treats empty values (NAME= in .env) as unset", () => {
    expect(loadConfig({ ...valid, MCP_SCOPE: "", PORT: "" })).toMatchObject({
      scope: `${valid.ENTRA_APP_ID_URI}/user_impersonation`,
      port: 3000,
    });
  });
});
