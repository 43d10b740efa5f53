import { describe, expect, it } from "vitest";
import { bearerChallenge, parseWwwAuthenticate } from "../../../src/test-flow/www-authenticate.js";

describe("WWW-Authenticate parsing", () => {
  it("reads the Bearer parameters MCP uses, quoted or not", () => {
    const headers = new Headers({
      "WWW-Authenticate":
        'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="api://x/a api://x/b", error=insufficient_scope',
    });
    expect(bearerChallenge(headers)).toMatchObject({
      resourceMetadata: "https://mcp.example.com/.well-known/oauth-protected-resource/mcp",
      scope: "api://x/a api://x/b",
      error: "insufficient_scope",
    });
  });

  it("finds Bearer among several challenges and keeps commas inside quoted strings", () => {
    const parsed = parseWwwAuthenticate(
      'DPoP algs="ES256 PS256", Basic realm="a, b", Bearer realm="mcp", error_description="bad \\"aud\\", expired", scope="x"',
    );
    expect(parsed.map((challenge) => challenge.scheme)).toEqual(["DPoP", "Basic", "Bearer"]);
    expect(parsed[1]?.params.realm).toBe("a, b");
    expect(parsed[2]?.params).toEqual({ realm: "mcp", error_description: 'bad "aud", expired', scope: "x" });
  });

  it("handles token68 and bare schemes", () => {
    expect(parseWwwAuthenticate("Negotiate abc123==, Bearer")).toEqual([
      { scheme: "Negotiate", token68: "abc123==", params: {} },
      { scheme: "Bearer", params: {} },
    ]);
    expect(parseWwwAuthenticate("Bearer, Basic")).toEqual([
      { scheme: "Bearer", params: {} },
      { scheme: "Basic", params: {} },
    ]);
  });

  it("is case-insensitive for the scheme and parameter names", () => {
    const headers = new Headers({ "www-authenticate": 'bearer Resource_Metadata="https://a/b", SCOPE=s1' });
    expect(bearerChallenge(headers)).toMatchObject({ resourceMetadata: "https://a/b", scope: "s1" });
  });

  it("has no Bearer challenge without the header or with other schemes only", () => {
    expect(bearerChallenge(new Headers())).toBeUndefined();
    expect(bearerChallenge(new Headers({ "WWW-Authenticate": 'Basic realm="x"' }))).toBeUndefined();
  });
});

describe("the text of an authorization server's page", () => {
  it("drops head, style and markup, decodes entities, and starts at the AADSTS error", async () => {
    const { pageText } = await import("../../../src/test-flow/sign-in/headless-agent.js");
    const html = `<!doctype html><html><head><title>Sorry</title><style>body{margin:0}</style></head>
      <body><h1>Sorry, but we&#39;re having trouble signing you in.</h1>
      <p role="alert">AADSTS50011: The redirect URI &#39;http://x&#39; does not match.</p></body></html>`;
    expect(pageText(html)).toBe("AADSTS50011: The redirect URI 'http://x' does not match.");
    expect(pageText("<p>Pick an account</p>")).toBe("Pick an account");
  });
});
