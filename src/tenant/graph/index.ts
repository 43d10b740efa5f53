import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from "express";
import type { TenantContext } from "../context.js";
import { appRoleAssignmentRoutes } from "./app-role-assignments.js";
import { passwordRoutes } from "./application-passwords.js";
import { applicationRoutes } from "./applications.js";
import { authenticateGraphCaller } from "./auth.js";
import { deletedItemRoutes } from "./deleted-items.js";
import { type GraphCall, type GraphResult, type GraphRoute, matchRoute } from "./dispatch.js";
import { badRequest, GraphError, type GraphRequestIds, graphErrorBody } from "./errors.js";
import { federatedCredentialRoutes } from "./federated-credentials.js";
import { grantRoutes } from "./grants.js";
import { ownerRoutes } from "./owners.js";
import { servicePrincipalUpdateRoutes } from "./service-principal-update.js";
import { servicePrincipalRoutes } from "./service-principals.js";
import { userRoutes } from "./users.js";

/**
 * The Microsoft Graph subset under /v1.0 and /beta (same resources): request ids, injected faults,
 * bearer-token authorisation, dispatch to the resource routes, and Graph-shaped errors.
 */
const ROUTES: GraphRoute[] = [
  ...applicationRoutes,
  ...deletedItemRoutes,
  ...passwordRoutes,
  ...federatedCredentialRoutes,
  ...ownerRoutes,
  ...servicePrincipalRoutes,
  ...servicePrincipalUpdateRoutes,
  ...appRoleAssignmentRoutes,
  ...grantRoutes,
  ...userRoutes,
];

const CONTENT_TYPE =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

export function graphRoutes(app: express.Express, ctx: TenantContext): void {
  for (const version of ["v1.0", "beta"]) {
    const router = express.Router();
    router.use(requestIds);
    router.use(express.json({ limit: "1mb", type: ["application/json", "application/*+json"] }));
    router.use(handler(ctx, version));
    router.use(errorHandler);
    app.use(`/${version}`, router);
  }
}

function ids(res: Response): GraphRequestIds {
  return res.locals.graphIds as GraphRequestIds;
}

const requestIds: RequestHandler = (req, res, next) => {
  const requestId = randomUUID();
  const presented = req.headers["client-request-id"];
  const clientRequestId =
    typeof presented === "string" && /^[\w-]{1,64}$/.test(presented) ? presented : requestId;
  res.locals.graphIds = { requestId, clientRequestId } satisfies GraphRequestIds;
  res.set({
    "request-id": requestId,
    "client-request-id": clientRequestId,
    "OData-Version": "4.0",
    "Cache-Control": "no-cache",
  });
  next();
};

async function injectFaults(ctx: TenantContext, res: Response): Promise<void> {
  const { latencyMs, retryAfterSeconds } = ctx.faults.config;
  if (latencyMs > 0) await delay(latencyMs);
  const fault = ctx.faults.nextRequestFault();
  if (!fault) return;
  res.locals.fault = fault;
  const retryAfter = { "Retry-After": String(retryAfterSeconds) };
  if (fault === "429") {
    throw new GraphError(
      429,
      "TooManyRequests",
      "Too many requests. Please retry again later.",
      undefined,
      retryAfter,
    );
  }
  if (fault === "503") {
    throw new GraphError(
      503,
      "serviceNotAvailable",
      "The service is temporarily unavailable. Please retry later.",
      undefined,
      retryAfter,
    );
  }
  throw new GraphError(504, "UnknownError", "The gateway timed out while waiting for the directory service.");
}

function handler(ctx: TenantContext, version: string): RequestHandler {
  return async (req: Request, res: Response) => {
    await injectFaults(ctx, res);
    const caller = await authenticateGraphCaller(ctx, req.headers.authorization);
    const { route, keys } = matchRoute(ROUTES, req.method, req.path);
    const body = req.body ?? {};
    if (typeof body !== "object" || Array.isArray(body))
      throw badRequest("The request body must be a JSON object.");
    const call: GraphCall = {
      ctx,
      caller,
      method: req.method,
      keys,
      body: body as Record<string, unknown>,
      query: Object.fromEntries(
        Object.entries(req.query).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
      ),
      headers: req.headers,
      serviceRoot: `${ctx.origin}/${version}`,
      markReplication: () => {
        res.locals.fault = "replication";
      },
    };
    send(res, await route.handler(call));
  };
}

function send(res: Response, result: GraphResult): void {
  res.status(result.status);
  if (result.headers) res.set(result.headers);
  if (result.status === 204 || result.body === undefined) {
    res.end();
    return;
  }
  res.set("Content-Type", CONTENT_TYPE).send(JSON.stringify(result.body));
}

const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  let graphError: GraphError;
  if (error instanceof GraphError) {
    graphError = error;
  } else if (error?.type === "entity.parse.failed") {
    graphError = new GraphError(
      400,
      "BadRequest",
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    );
  } else if (error?.type === "entity.too.large") {
    graphError = new GraphError(413, "Request_EntityTooLarge", "The request is too large.");
  } else {
    process.stderr.write(`dev tenant (Graph): ${error?.stack ?? error}\n`);
    graphError = new GraphError(500, "UnknownError", "The dev tenant failed to handle the request.");
  }
  res.status(graphError.status).set(graphError.headers).set("Content-Type", CONTENT_TYPE);
  res.send(JSON.stringify(graphErrorBody(graphError, ids(res))));
};
