import express from "express";
import { jwtVerify } from "jose";
import { type Caller, close, listen, mcpHandler } from "./mcp-endpoint.js";
import type { SpecAuthorizationServer } from "./spec-authorization-server.js";

/**
 * A protected MCP server for the spec fixture: PRM where the variant says, 401 challenges with or
 * without `resource_metadata` and `scope`, token checks (signature, issuer, audience = the resource,
 * `mcp:tools`), and `admin-report` behind 403 insufficient_scope until the token carries `mcp:admin`.
 */
export interface SpecMcpOptions {
  /** header: PRM only at a custom URL named in the challenge; path-aware / root: at that well-known only. */
  prm?: "header" | "path-aware" | "root";
  /** The scope in the 401 challenge. */
  challengeScope?: string;
  scopesSupported?: string[];
  /** The PRM resource, when it should not be this server's URL (the mismatch variant). */
  prmResource?: string;
  /** authorization_servers in PRM, instead of the fixture's authorization server. */
  authorizationServers?: string[];
  /** The challenge names a resource_metadata URL that answers 404 (PRM itself is where `prm` says). */
  brokenHeaderUrl?: boolean;
}

export interface SpecMcpServer {
  url: string;
  origin: string;
  /** Requests to /mcp that carried a token in the query string. */
  tokensInQuery: number;
  stop(): Promise<void>;
}

export async function startSpecMcpServer(
  as: SpecAuthorizationServer,
  options: SpecMcpOptions = {},
): Promise<SpecMcpServer> {
  const app = express();
  const { server, origin } = await listen(app);
  const url = `${origin}/mcp`;
  const prm = options.prm ?? "path-aware";
  const prmPath = {
    header: "/metadata/protected-resource.json",
    "path-aware": "/.well-known/oauth-protected-resource/mcp",
    root: "/.well-known/oauth-protected-resource",
  }[prm];
  const fixture: SpecMcpServer = { url, origin, tokensInQuery: 0, stop: () => close(server) };

  app.get(prmPath, (_req, res) => {
    res.json({
      resource: options.prmResource ?? url,
      authorization_servers: options.authorizationServers ?? [as.issuer],
      ...(options.scopesSupported ? { scopes_supported: options.scopesSupported } : {}),
      bearer_methods_supported: ["header"],
    });
  });

  const challenge = (extra: Record<string, string> = {}) => {
    const params: Record<string, string> = { ...extra };
    if (prm === "header") params.resource_metadata = `${origin}${prmPath}`;
    if (options.brokenHeaderUrl) params.resource_metadata = `${origin}/metadata/missing.json`;
    if (options.challengeScope && !params.scope) params.scope = options.challengeScope;
    const text = Object.entries(params)
      .map(([key, value]) => `${key}="${value}"`)
      .join(", ");
    return text ? `Bearer ${text}` : "Bearer";
  };

  app.use("/mcp", express.json(), async (req, res, next) => {
    if ("access_token" in req.query) fixture.tokensInQuery++;
    const header = req.headers.authorization;
    if (!header?.startsWith("Bearer ")) {
      res.status(401).set("WWW-Authenticate", challenge()).json({ error: "unauthorized" });
      return;
    }
    let scopes: string[];
    let subject: string;
    try {
      const { payload } = await jwtVerify(header.slice(7), as.jwtSecret, {
        issuer: as.issuer,
        audience: url,
      });
      scopes = String(payload.scope ?? "")
        .split(" ")
        .filter(Boolean);
      subject = payload.sub ?? "?";
    } catch (error) {
      res
        .status(401)
        .set(
          "WWW-Authenticate",
          challenge({
            error: "invalid_token",
            error_description: (error as Error).message.replace(/"/g, "'"),
          }),
        )
        .json({ error: "invalid_token" });
      return;
    }
    if (!scopes.includes("mcp:tools")) {
      res
        .status(403)
        .set("WWW-Authenticate", challenge({ error: "insufficient_scope", scope: "mcp:tools" }))
        .end();
      return;
    }
    const body = req.body as { method?: string; params?: { name?: string } } | undefined;
    if (
      body?.method === "tools/call" &&
      body.params?.name === "admin-report" &&
      !scopes.includes("mcp:admin")
    ) {
      res
        .status(403)
        .set("WWW-Authenticate", challenge({ error: "insufficient_scope", scope: "mcp:tools mcp:admin" }))
        .end();
      return;
    }
    res.locals.caller = { subject, scopes } satisfies Caller;
    next();
  });
  app.all(
    "/mcp",
    mcpHandler((res) => res.locals.caller as Caller),
  );
  return fixture;
}
