import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import express, { type Request, type RequestHandler, type Response } from "express";
import type { TenantContext } from "../context.js";
import { answerErrors } from "../errors/error-answer.js";
import { appRoleAssignmentRoutes } from "./app-role-assignments.js";
import { passwordRoutes } from "./application-passwords.js";
import { applicationRoutes } from "./applications.js";
import { authenticateGraphCaller } from "./auth.js";
import { deletedItemRoutes } from "./deleted-items.js";
import { type GraphCall, type GraphResult, type GraphRoute, matchRoute } from "./dispatch.js";
import { asGraphError, badRequest, GRAPH_CONTENT_TYPE, GraphError } from "./errors.js";
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

export function graphRoutes(app: express.Express, ctx: TenantContext): void {
  for (const version of ["v1.0", "beta"]) {
    const router = express.Router();
    router.use(requestIds);
    router.use(express.json({ limit: "1mb", type: ["application/json", "application/*+json"] }));
    router.use(handler(ctx, version));
    router.use(answerErrors((_req, res) => ({ origin: ctx.origin, ...ids(res) }), asGraphError));
    app.use(`/${version}`, router);
  }
}

/** Graph's ids of a request: its own, and the client's when well formed (else its own again). */
interface GraphRequestIds {
  requestId: string;
  clientRequestId: string;
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
  res.set("Content-Type", GRAPH_CONTENT_TYPE).send(JSON.stringify(result.body));
}
