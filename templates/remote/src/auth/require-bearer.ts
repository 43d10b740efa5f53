import type { AuthInfo } from "@modelcontextprotocol/server";
import type { RequestHandler, Response } from "express";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { bearerChallenge, type Challenge } from "./protected-resource.js";
import { type Caller, InvalidTokenError, type TokenValidator } from "./token-validator.js";

/** The request after authentication: the MCP SDK reads `auth`, our own code reads `caller`. */
declare module "express-serve-static-core" {
  interface Request {
    auth?: AuthInfo;
    caller?: Caller;
  }
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Lets a request through only with a valid Entra access token in the Authorization header.
 * Tokens anywhere else (the query string, the body) are refused, as OAuth 2.1 and MCP require.
 */
export function requireBearer(config: Config, validate: TokenValidator, log: Logger): RequestHandler {
  const reject = (res: Response, status: number, challenge: Omit<Challenge, "scope">) => {
    res
      .status(status)
      .set("WWW-Authenticate", bearerChallenge(config.serverUrl, { ...challenge, scope: config.scope }))
      .set("Cache-Control", "no-store")
      .json({
        error: challenge.error ?? "unauthorized",
        error_description: challenge.description ?? "Sign-in required",
      });
  };
  return async (req, res, next) => {
    if (new URL(req.originalUrl, "http://x").searchParams.has("access_token")) {
      reject(res, 400, {
        error: "invalid_request",
        description: "Access tokens are accepted only in the Authorization header",
      });
      return;
    }
    const header = req.headers.authorization;
    if (!header || !/^Bearer\b/i.test(header)) {
      reject(res, 401, {});
      return;
    }
    const token = BEARER.exec(header)?.[1];
    if (!token) {
      reject(res, 401, { error: "invalid_token", description: "The access token is malformed" });
      return;
    }
    let caller: Caller;
    try {
      caller = await validate(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        reject(res, 401, { error: "invalid_token", description: error.message });
        return;
      }
      log.error("token validation unavailable", { reason: (error as Error).message });
      res.status(503).set("Retry-After", "5").json({ error: "temporarily_unavailable" });
      return;
    }
    req.caller = caller;
    req.auth = {
      token,
      clientId: caller.clientId,
      scopes: caller.scopes,
      expiresAt: caller.expiresAt,
      resource: new URL(config.serverUrl),
      extra: { caller },
    };
    next();
  };
}

/** The caller requireBearer established, from the AuthInfo the MCP SDK hands its server factory. */
export function callerOf(auth: AuthInfo | undefined): Caller {
  const caller = auth?.extra?.caller as Caller | undefined;
  // Unreachable behind requireBearer; a route mounted without it must not serve anyone.
  if (!caller) throw new Error("The MCP endpoint was reached without authentication");
  return caller;
}
