import { describe, expect, it } from "vitest";
import { insecureUrlProblem } from "../../../src/test-flow/http.js";
import { canonicalResourceUrl, sameResource } from "../../../src/test-flow/resource-url.js";
import { missingScopes, selectScopes } from "../../../src/test-flow/sign-in/scope-selection.js";
import { resourceAllowed } from "../../../src/test-flow/steps/protected-resource-metadata.js";

describe("canonical server URL", () => {
  it("lower-cases scheme and host, drops the default port, fragment and trailing slash", () => {
    expect(canonicalResourceUrl("HTTPS://MCP.Example.com:443/Path/mcp/#x")).toBe(
      "https://mcp.example.com/Path/mcp",
    );
    expect(canonicalResourceUrl("https://mcp.example.com/")).toBe("https://mcp.example.com");
    expect(canonicalResourceUrl("http://127.0.0.1:8080/mcp?tenant=a")).toBe(
      "http://127.0.0.1:8080/mcp?tenant=a",
    );
  });

  it("matches a PRM resource only when it names the same server", () => {
    expect(sameResource("https://mcp.example.com/mcp/", "https://MCP.example.com/mcp")).toBe(true);
    expect(sameResource("https://mcp.example.com", "https://mcp.example.com/mcp")).toBe(false);
    expect(sameResource("https://mcp.example.com/mcp/sub", "https://mcp.example.com/mcp")).toBe(false);
    expect(sameResource("not a url", "https://mcp.example.com/mcp")).toBe(false);
  });
});

describe("plain http only on loopback", () => {
  it("allows https anywhere and http on loopback only", () => {
    expect(insecureUrlProblem("https://login.microsoftonline.com/x/v2.0", "AS")).toBeUndefined();
    expect(insecureUrlProblem("http://127.0.0.1:3000", "AS")).toBeUndefined();
    expect(insecureUrlProblem("http://localhost:3000", "AS")).toBeUndefined();
    expect(insecureUrlProblem("http://[::1]:3000", "AS")).toBeUndefined();
    expect(insecureUrlProblem("http://auth.example.com", "AS")).toContain("only on loopback");
    expect(insecureUrlProblem("ftp://auth.example.com", "AS")).toContain("not an http(s) URL");
  });
});

describe("PRM resource", () => {
  it("is the server URL or a same-origin parent of it (the SDK's rule), nothing else", async () => {
    const server = "http://127.0.0.1:4000/mcp";
    expect(await resourceAllowed(server, "http://127.0.0.1:4000/mcp")).toBe(true);
    expect(await resourceAllowed(server, "http://127.0.0.1:4000")).toBe(true);
    expect(await resourceAllowed(`${server}/`, "http://127.0.0.1:4000/mcp")).toBe(true);
    expect(await resourceAllowed(server, "http://127.0.0.1:4000/mcp/sub")).toBe(false);
    expect(await resourceAllowed(server, "http://127.0.0.1:4000/mc")).toBe(false);
    expect(await resourceAllowed(server, "http://127.0.0.1:4001/mcp")).toBe(false);
    expect(await resourceAllowed(server, "https://127.0.0.1:4000/mcp")).toBe(false);
    expect(await resourceAllowed(server, "not a url")).toBe(false);
  });
});

describe("scope selection", () => {
  const base = { entra: false, grant: "delegated", resource: "https://mcp.example.com/mcp" } as const;

  it("--scope, else the challenge, else all of scopes_supported, else omitted", () => {
    const all = { flag: "f", challenge: "c", scopesSupported: ["s1", "s2"] };
    expect(selectScopes({ ...base, ...all })).toMatchObject({ scope: "f", source: "--scope" });
    expect(selectScopes({ ...base, ...all, flag: undefined })).toMatchObject({
      scope: "c",
      source: "challenge",
    });
    expect(selectScopes({ ...base, scopesSupported: ["s1", "s2"] })).toMatchObject({
      scope: "s1 s2",
      source: "scopes_supported",
    });
    expect(selectScopes(base)).toEqual({ scope: undefined, source: "omitted", notes: [] });
  });

  it("adds offline_access only when the authorization server lists it, and only for delegated sign-ins", () => {
    expect(selectScopes({ ...base, challenge: "mcp:tools" }).scope).toBe("mcp:tools");
    const listing = { ...base, challenge: "mcp:tools", asScopes: ["mcp:tools", "offline_access"] };
    expect(selectScopes(listing).scope).toBe("mcp:tools offline_access");
    expect(selectScopes({ ...listing, grant: "app" }).scope).toBe("mcp:tools");
    expect(selectScopes({ ...listing, challenge: "mcp:tools offline_access" }).scope).toBe(
      "mcp:tools offline_access",
    );
  });

  it("Entra: qualifies bare scopes, adds offline_access (Entra lists it), and uses .default for app-only tokens", () => {
    const entra = { ...base, entra: true, asScopes: ["openid", "profile", "email", "offline_access"] };
    const delegated = selectScopes({ ...entra, challenge: "access_as_user" });
    expect(delegated.scope).toBe("https://mcp.example.com/mcp/access_as_user offline_access");
    expect(delegated.notes.join(" ")).toContain("Microsoft Graph");
    expect(selectScopes({ ...entra, challenge: "api://abc/access_as_user" }).scope).toBe(
      "api://abc/access_as_user offline_access",
    );
    expect(
      selectScopes({ ...entra, grant: "app", scopesSupported: ["api://abc/access_as_user"] }).scope,
    ).toBe("api://abc/.default");
    expect(selectScopes({ ...entra, grant: "app" }).scope).toBe("https://mcp.example.com/mcp/.default");
    expect(selectScopes({ ...entra, flag: "openid" }).scope).toBe("openid");
    expect(selectScopes(entra).notes.join(" ")).toContain("AADSTS900144");
  });

  it("names the scopes a token lacks", () => {
    expect(missingScopes("a b c", "C a")).toEqual([]);
    expect(missingScopes("a", "a b")).toEqual(["b"]);
    expect(missingScopes(undefined, "x")).toEqual(["x"]);
  });
});

describe("Entra error descriptions", () => {
  it("keep the AADSTS sentence without msal's wrapping, trace ids and timestamps", async () => {
    const { tidyErrorDescription } = await import("../../../src/test-flow/sign-in/error-description.js");
    const msal =
      "Error(s): 9010010 - Timestamp: 2026-01-01 00:00:00Z - Description: AADSTS9010010: The resource parameter doesn't match. Trace ID: abc Correlation ID: def Timestamp: 2026 - Correlation ID: def - Trace ID: abc";
    expect(tidyErrorDescription(msal)).toBe("AADSTS9010010: The resource parameter doesn't match.");
    expect(tidyErrorDescription("AADSTS700016: Not found. Trace ID: 1 Correlation ID: 2")).toBe(
      "AADSTS700016: Not found.",
    );
    expect(tidyErrorDescription("plain")).toBe("plain");
  });
});
