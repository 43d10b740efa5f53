import { describe, expect, it } from "vitest";
import { trustedFetch } from "../../../src/entra/trust.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";

/**
 * What a client reads when no endpoint refused its request: the identity endpoints answer a plain
 * OAuth error (`error`, `error_description`) for an unknown path and for a request express or its
 * body parsers refuse; Graph answers its body parser's refusals in Graph's shape. (Errors the
 * endpoints throw: token-endpoint-paths, entra-errors and graph/reference-calls.)
 */
describe("dev tenant: error answers for what no endpoint refused", () => {
  const tenant = useDevTenant();

  async function send(path: string, init?: RequestInit) {
    const t = tenant();
    const response = await trustedFetch([t.caPem])(`${t.url}${path.replace("{tenant}", t.tenantId)}`, init);
    return {
      status: response.status,
      contentType: response.headers.get("content-type"),
      body: (await response.json()) as unknown,
    };
  }

  it("answers an unknown path 404 not_found, whatever the method", async () => {
    const notFound = {
      status: 404,
      contentType: "application/json; charset=utf-8",
      body: { error: "not_found", error_description: "No such endpoint on the dev tenant." },
    };
    expect(await send("/{tenant}/oauth2/v2.0/nothing")).toEqual(notFound);
    expect(await send("/{tenant}/oauth2/v2.0/token")).toEqual(notFound);
    expect(await send("/nothing", { method: "POST", body: new URLSearchParams({ a: "1" }) })).toEqual(
      notFound,
    );
  });

  it("answers what express refuses as a malformed request, with express's status", async () => {
    const malformed = (status: number) => ({
      status,
      contentType: "application/json; charset=utf-8",
      body: { error: "invalid_request", error_description: "Malformed request." },
    });
    // A path segment that does not decode.
    expect(await send("/%E0%A4%A/oauth2/v2.0/authorize")).toEqual(malformed(400));
    // A body in a charset the form parser does not read.
    const latin1 = {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=latin1" },
      body: "client_id=x&scope=openid",
    };
    expect(await send("/{tenant}/oauth2/v2.0/devicecode", latin1)).toEqual(malformed(415));
    // A compressed body that does not inflate.
    const badGzip = {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "content-encoding": "gzip" },
      body: "not gzip",
    };
    expect(await send("/{tenant}/oauth2/v2.0/devicecode", badGzip)).toEqual(malformed(400));
  });

  it("answers a Graph body its parser refuses in Graph's shape", async () => {
    const post = (body: string) =>
      send("/v1.0/applications", { method: "POST", headers: { "content-type": "application/json" }, body });
    const unreadable = await post("{");
    expect(unreadable).toMatchObject({
      status: 400,
      body: {
        error: {
          code: "BadRequest",
          message:
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
        },
      },
    });
    expect(unreadable.contentType).toMatch(/^application\/json; odata\.metadata=minimal; /);
    expect(await post(JSON.stringify({ displayName: "x".repeat(1024 * 1024) }))).toMatchObject({
      status: 413,
      body: { error: { code: "Request_EntityTooLarge", message: "The request is too large." } },
    });
  });
});
