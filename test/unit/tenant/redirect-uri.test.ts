import { describe, expect, it } from "vitest";
import type { ClientApp } from "../../../src/tenant/directory/lookups.js";
import { matchRedirectUri } from "../../../src/tenant/sign-in/redirect-uri.js";

function client(redirectUris: Partial<ClientApp["redirectUris"]>): ClientApp {
  return {
    appId: "00000000-0000-4000-8000-000000000001",
    displayName: "client",
    firstParty: false,
    graphPreConsented: false,
    allowsPublicFlows: false,
    redirectUris: { web: [], spa: [], publicClient: [], ...redirectUris },
    requiredResourceAccess: [],
  };
}

describe("matchRedirectUri", () => {
  it("ignores the port of loopback URIs only, and keeps path and host exact", () => {
    const app = client({ publicClient: ["http://localhost/cb", "http://127.0.0.1", "http://[::1]/x"] });
    expect(matchRedirectUri(app, "http://localhost:51234/cb")).toEqual({
      uri: "http://localhost:51234/cb",
      platform: "publicClient",
    });
    expect(matchRedirectUri(app, "http://127.0.0.1:9")?.platform).toBe("publicClient");
    expect(matchRedirectUri(app, "http://[::1]:8080/x")?.platform).toBe("publicClient");
    expect(matchRedirectUri(app, "http://localhost:51234/cb2")).toBeUndefined();
    expect(matchRedirectUri(app, "http://127.0.0.1:9/cb")).toBeUndefined();
    expect(matchRedirectUri(app, "https://localhost:51234/cb")).toBeUndefined();
    expect(matchRedirectUri(app, "http://127.0.0.1.example.com:9/")).toBeUndefined();
  });

  it("matches other URIs exactly and reports their platform", () => {
    const app = client({ web: ["https://app.example/cb"], spa: ["https://spa.example/"] });
    expect(matchRedirectUri(app, "https://app.example/cb")?.platform).toBe("web");
    expect(matchRedirectUri(app, "https://spa.example/")?.platform).toBe("spa");
    expect(matchRedirectUri(app, "https://app.example:443/cb/")).toBeUndefined();
    expect(matchRedirectUri(app, "https://app.example:8443/cb")).toBeUndefined();
    expect(matchRedirectUri(app, "https://APP.example/cb")).toBeUndefined();
  });

  it("uses the only registered URI when none is sent, and never an unsafe scheme", () => {
    expect(matchRedirectUri(client({ web: ["https://one.example/cb"] }), undefined)).toEqual({
      uri: "https://one.example/cb",
      platform: "web",
    });
    expect(
      matchRedirectUri(client({ web: ["https://a.example"], spa: ["https://b.example"] }), ""),
    ).toBeUndefined();
    expect(matchRedirectUri(client({ web: ["javascript:alert(1)"] }), "javascript:alert(1)")).toBeUndefined();
    expect(matchRedirectUri(client({ publicClient: ["myapp://auth"] }), "myapp://auth")?.platform).toBe(
      "publicClient",
    );
  });
});
