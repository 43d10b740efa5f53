import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, ConfigError, defaultTokenCacheFile, loadConfig } from "../src/config.js";
import { packageInfo } from "../src/package-info.js";

const valid = {
  ENTRA_TENANT_ID: "11111111-2222-3333-4444-555555555555",
  ENTRA_CLIENT_ID: "66666666-7777-8888-9999-000000000000",
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
  it("applies the documented defaults", () => {
    expect(loadConfig(valid)).toMatchObject({
      tenantId: valid.ENTRA_TENANT_ID,
      clientId: valid.ENTRA_CLIENT_ID,
      authorityHost: "https://login.microsoftonline.com",
      graphBaseUrl: "https://graph.microsoft.com/v1.0",
      signInMethod: "device-code",
    });
  });

  it("reports every missing variable at once, one line each", () => {
    expect(problems({})).toEqual([
      expect.stringMatching(/^ENTRA_TENANT_ID is missing: /),
      expect.stringMatching(/^ENTRA_CLIENT_ID is missing: /),
    ]);
  });

  it("names each invalid variable and what it must be", () => {
    const found = problems({
      ...valid,
      ENTRA_TENANT_ID: "contoso.onmicrosoft.com",
      ENTRA_AUTHORITY_HOST: "http://login.example",
      GRAPH_BASE_URL: "graph.microsoft.com",
      ENTRA_SIGN_IN_METHOD: "popup",
      ENTRA_TOKEN_CACHE_FILE: "cache.json",
    });
    expect(found).toEqual([
      expect.stringMatching(/^ENTRA_TENANT_ID must be a GUID/),
      expect.stringMatching(/^ENTRA_AUTHORITY_HOST must be an https URL/),
      expect.stringMatching(/^GRAPH_BASE_URL must be an https URL/),
      expect.stringMatching(/^ENTRA_SIGN_IN_METHOD must be device-code or browser/),
      expect.stringMatching(/^ENTRA_TOKEN_CACHE_FILE must be an absolute path/),
    ]);
  });

  it("keeps the token cache in the user's cache folder, outside the project, unless told otherwise", () => {
    const name = packageInfo.name.replace(/^@/, "").replace(/\//g, "-");
    const file = "msal-token-cache.json";
    expect(defaultTokenCacheFile({}, "linux", "/home/dev")).toBe(join("/home/dev", ".cache", name, file));
    expect(defaultTokenCacheFile({ XDG_CACHE_HOME: "/xdg" }, "linux", "/home/dev")).toBe(
      join("/xdg", name, file),
    );
    expect(defaultTokenCacheFile({}, "darwin", "/Users/dev")).toBe(
      join("/Users/dev", "Library", "Caches", name, file),
    );
    expect(defaultTokenCacheFile({ LOCALAPPDATA: "/appdata" }, "win32", "/home/dev")).toBe(
      join("/appdata", name, file),
    );
    expect(loadConfig({ ...valid, ENTRA_TOKEN_CACHE_FILE: "/tmp/cache.json" }).tokenCacheFile).toBe(
      "/tmp/cache.json",
    );
    expect(loadConfig(valid).tokenCacheFile.startsWith(process.cwd())).toBe(false);
  });

  it("documents every variable in .env.example, and nothing else", () => {
    const example = readFileSync(new URL("../.env.example", import.meta.url), "utf8");
    const documented = [...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it("treats empty values (NAME= in .env) as unset", () => {
    const config = loadConfig({
      ...valid,
      ENTRA_AUTHORITY_HOST: "",
      ENTRA_SIGN_IN_METHOD: "",
      ENTRA_TOKEN_CACHE_FILE: "",
    });
    expect(config.authorityHost).toBe("https://login.microsoftonline.com");
    expect(config.signInMethod).toBe("device-code");
  });
});
