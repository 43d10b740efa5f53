import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseClientMetadata } from "../src/oauth-proxy/client-metadata.js";
import { entraResource } from "../src/oauth-proxy/endpoints.js";
import { isPrivateAddress } from "../src/oauth-proxy/private-addresses.js";
import { createSealedBox } from "../src/oauth-proxy/sealed-box.js";
import { TtlMap } from "../src/oauth-proxy/ttl-map.js";

describe("the proxy's parts", () => {
  it("sends `resource` to Entra only when the Application ID URI is the server URL", () => {
    const serverUrl = "https://mcp.contoso.com/mcp";
    expect(entraResource({ serverUrl, appIdUri: serverUrl })).toBe(serverUrl);
    expect(
      entraResource({ serverUrl, appIdUri: "api://11111111-2222-3333-4444-555555555555" }),
    ).toBeUndefined();
  });

  it("seals Entra's tokens so that only its own key opens them, untampered, for the purpose sealed for", () => {
    const box = createSealedBox(randomBytes(32));
    const sealed = box.seal("entra refresh token", "entra-secret-refresh-token");
    expect(sealed).not.toContain("entra-secret");
    expect(box.open("entra refresh token", sealed)).toBe("entra-secret-refresh-token");
    expect(box.open("entra tokens", sealed)).toBeUndefined();
    const flipped = `${sealed.slice(0, 20)}${sealed[20] === "A" ? "B" : "A"}${sealed.slice(21)}`;
    expect(box.open("entra refresh token", flipped)).toBeUndefined();
    expect(createSealedBox(randomBytes(32)).open("entra refresh token", sealed)).toBeUndefined();
    expect(box.open("entra refresh token", "entra-secret-refresh-token")).toBeUndefined();
  });

  it("knows private, loopback, link-local and reserved addresses, also inside IPv6 ones", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "198.51.100.7",
      "255.255.255.255",
      "::1",
      "::",
      "fd00::1",
      "fe80::1",
      "fe80::1%eth0",
      "fec0::1",
      "ff02::1",
      // IPv4 inside IPv6: mapped, translated (SIIT), compatible, NAT64, 6to4.
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:0:a9fe:a9fe",
      "::ffff:0:10.0.0.1",
      "::127.0.0.1",
      "::a9fe:a9fe",
      "::169.254.169.254",
      "64:ff9b::10.0.0.1",
      "64:ff9b::a9fe:a9fe",
      "2002:a9fe:a9fe::1",
      "2002:7f00:1::",
      // Special-purpose IPv6: local-use NAT64, Teredo, documentation, discard.
      "64:ff9b:1::a00:1",
      "64:ff9b:1:ffff::1",
      "2001:0:4136:e378:8000:63bf:3fff:fdd2",
      "2001:db8::1",
      "100::1",
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of [
      "20.190.151.68",
      "2603:1030::1",
      "::ffff:20.190.151.68",
      "64:ff9b::14be:9744",
      "2002:14be:9744::1",
      "2a01:111:f100::1",
    ]) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
    expect(isPrivateAddress("not an address")).toBe(true);
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
