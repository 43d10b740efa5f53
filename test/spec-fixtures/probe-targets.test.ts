import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type AuthorizationServerFixture, startAuthorizationServer } from "./authorization-server.js";
import { type McpServerOptions, startMcpServer } from "./mcp-server.js";
import { forgeProbeTokens, type ProbeTokens } from "./probe-tokens.js";

/** One AS and one set of tokens for every target: the targets name the same resource in their PRM. */
const RESOURCE = "http://mcp.spec-fixture.invalid/mcp";
let as: AuthorizationServerFixture;
let valid: string;
let probes: ProbeTokens;
beforeAll(async () => {
  as = await startAuthorizationServer();
  valid = await as.issueAccessToken({ aud: RESOURCE, scope: "mcp:read" });
  probes = await forgeProbeTokens(as, RESOURCE);
});
afterAll(() => as.stop());

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((fixture) => fixture.stop()));
});

async function target(tokenValidation: McpServerOptions["tokenValidation"]) {
  const server = await startMcpServer({
    authorizationServers: [as],
    tokenValidation,
    prm: { resource: { literal: RESOURCE } },
  });
  running.push(server);
  return { server, valid, probes };
}

/** A modern tools/list with a bearer token, as the spec describes it. */
async function listTools(url: string, token: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "tools/list",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/list",
      params: {
        _meta: {
          "io.modelcontextprotocol/protocolVersion": "2026-07-28",
          "io.modelcontextprotocol/clientCapabilities": {},
        },
      },
    }),
  });
  await response.arrayBuffer();
  return { status: response.status, challenge: response.headers.get("www-authenticate") };
}

const PROBES: Array<keyof ProbeTokens> = [
  "unknownKeySameKid",
  "algNone",
  "wrongIssuer",
  "expired",
  "wrongAudience",
];

describe("probe targets", () => {
  it("a strict server accepts the AS's token and refuses each forged one with 401 invalid_token", async () => {
    const { server, valid, probes } = await target("strict");
    expect((await listTools(server.url, valid)).status).toBe(200);
    for (const probe of PROBES) {
      const answer = await listTools(server.url, probes[probe]);
      expect({ probe, status: answer.status }).toEqual({ probe, status: 401 });
      expect(answer.challenge).toMatch(/^Bearer error="invalid_token"/);
    }
    expect(
      server.records.requests
        .filter((request) => request.token === "invalid")
        .map((request) => request.tokenError),
    ).toEqual([
      expect.stringMatching(/^signature/),
      "unsigned token (alg none)",
      expect.stringMatching(/issuer https:\/\/other-issuer.invalid is not/),
      "the token is expired or has no exp",
      expect.stringMatching(/audience/),
    ]);
  });

  it("a careless server accepts every forged token", async () => {
    const { server, probes } = await target("careless");
    for (const probe of PROBES)
      expect({ probe, status: (await listTools(server.url, probes[probe])).status }).toEqual({
        probe,
        status: 200,
      });
  });

  it.each(
    PROBES.map(
      (probe, index) =>
        [probe, (["signature", "alg-none", "issuer", "expiry", "audience"] as const)[index]!] as const,
    ),
  )("a server skipping one check accepts only its probe (%s)", async (probe, skipped) => {
    const { server, probes } = await target({ skip: [skipped] });
    const accepted: string[] = [];
    for (const candidate of PROBES)
      if ((await listTools(server.url, probes[candidate])).status === 200) accepted.push(candidate);
    expect(accepted).toEqual(probe === "unknownKeySameKid" ? ["unknownKeySameKid", "algNone"] : [probe]);
  });
});
