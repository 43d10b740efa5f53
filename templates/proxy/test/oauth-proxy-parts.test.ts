import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseClientMetadata } from "../src/oauth-proxy/client-metadata.js";
import { entraResource } from "../src/oauth-proxy/endpoints.js";
import { isPrivateAddress } from "../src/oauth-proxy/private-addresses.js";
import { createRefreshTokenSealer } from "../src/oauth-proxy/sealed-refresh-token.js";
import { TtlMap } from "../src/oauth-proxy/ttl-map.js";

describe("the proxy's parts", () => {
  it("sends `resource` to Entra only when the Application ID URI is the server URL", () => {
    const serverUrl = "https://mcp.contoso.com/mcp";
    expect(entraResource({ serverUrl, appIdUri: serverUrl })).toBe(serverUrl);
    expect(
      entraResource({ serverUrl, appIdUri: "api://11111111-2222-3333-4444-555555555555" }),
    ).toBeUndefined();
  });

  it("wraps refresh tokens so that only its own key opens them, untampered", () => {
    const sealer = createRefreshTokenSealer(randomBytes(32));
    const sealed = sealer.seal({ clientId: "mcp-a", entraRefreshToken: "entra-secret-refresh-token" });
    expect(sealed).not.toContain("entra-secret");
    expect(sealer.open(sealed)).toEqual({
      clientId: "mcp-a",
      entraRefreshToken: "entra-secret-refresh-token",
    });
    const flipped = `${sealed.slice(0, 20)}${sealed[20] === "A" ? "B" : "A"}${sealed.slice(21)}`;
    expect(sealer.open(flipped)).toBeUndefined();
    expect(createRefreshTokenSealer(randomBytes(32)).open(sealed)).toBeUndefined();
    expect(sealer.open("entra-secret-refresh-token")).toBeUndefined();
  });

  it("knows private, loopback, link-local and mapped addresses", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "0.0.0.0",
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ["20.190.151.68", "2603:1030::1", "::ffff:20.190.151.68"]) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it("forgets entries when they expire, and the oldest when full", () => {
    let now = 0;
    const map = new TtlMap<string>(1_000, 2, () => now);
    map.set("a", "1");
    map.set("b", "2");
    map.set("c", "3");
    expect(map.get("a")).toBeUndefined();
    expect(map.take("b")).toBe("2");
    expect(map.get("b")).toBeUndefined();
    now = 1_000;
    expect(map.get("c")).toBeUndefined();
  });

  it("applies RFC 7591's defaults to client metadata", () => {
    expect(
      parseClientMetadata(
        { redirect_uris: ["http://127.0.0.1:1/cb"] },
        { defaultAuthMethod: "client_secret_basic" },
      ),
    ).toEqual({
      redirect_uris: ["http://127.0.0.1:1/cb"],
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["authorization_code"],
      response_types: ["code"],
    });
  });
});
