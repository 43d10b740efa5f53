import { readFileSync } from "node:fs";
import { resolve } from "node:path";
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

  it("documents every variable in .env.example, and nothing else", () => {
    const example = readFileSync(new URL("../.env.example", import.meta.url), "utf8");
    const documented = [...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it("keeps the proxy's state in .oauth-proxy and refuses private CIMD hosts, unless told otherwise", () => {
    expect(loadConfig(valid).proxy).toEqual({
      stateDir: resolve(".oauth-proxy"),
      allowPrivateNetwork: false,
    });
    expect(
      loadConfig({ ...valid, PROXY_STATE_DIR: "/var/lib/mcp", PROXY_CIMD_ALLOW_PRIVATE_NETWORK: "true" })
        .proxy,
    ).toEqual({ stateDir: "/var/lib/mcp", allowPrivateNetwork: true });
    expect(problems({ ...valid, PROXY_CIMD_ALLOW_PRIVATE_NETWORK: "yes" })).toEqual([
      expect.stringMatching(/^PROXY_CIMD_ALLOW_PRIVATE_NETWORK must be true or false/),
    ]);
  });

  it("treats empty values (NAME= in .env) as unset", () => {
    expect(loadConfig({ ...valid, MCP_SCOPE: "", PROXY_STATE_DIR: "" })).toMatchObject({
      scope: `${valid.ENTRA_APP_ID_URI}/user_impersonation`,
      proxy: { stateDir: resolve(".oauth-proxy") },
    });
  });
});
