import { randomUUID } from "node:crypto";
import { type ErrorRequest, WireError } from "../errors/wire-error.js";

/**
 * Microsoft Graph errors: one class, serialised in one place into Graph's body
 * `{"error":{"code","message","details"?,"innerError":{"date","request-id","client-request-id"}}}`.
 * The helpers below carry the codes and messages Graph returns for the app-registration API.
 */
export interface GraphErrorDetail {
  code: string;
  message?: string;
  target?: string;
}

/** The media type of Graph's JSON answers, errors and results alike. */
export const GRAPH_CONTENT_TYPE =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

export class GraphError extends WireError {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly details?: GraphErrorDetail[],
    headers: Record<string, string> = {},
  ) {
    super(status, message, headers);
  }

  override get contentType(): string {
    return GRAPH_CONTENT_TYPE;
  }

  /** `request.clientRequestId` is the one the request ids middleware settled on (graph/index.ts). */
  body(request: ErrorRequest) {
    const requestId = request.requestId ?? randomUUID();
    const clientRequestId = typeof request.clientRequestId === "string" ? request.clientRequestId : requestId;
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
        innerError: {
          date: new Date().toISOString().replace(/\.\d+Z$/, ""),
          "request-id": requestId,
          "client-request-id": clientRequestId,
        },
      },
    };
  }
}

/**
 * What Graph answers for an error that is no WireError: the JSON body parser's refusals in Graph's
 * words; anything else as Graph's masked server error, its details on the tenant's stderr.
 */
export function asGraphError(error: unknown): WireError {
  const type = (error as { type?: unknown } | undefined)?.type;
  if (type === "entity.parse.failed") {
    return new GraphError(
      400,
      "BadRequest",
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    );
  }
  if (type === "entity.too.large") {
    return new GraphError(413, "Request_EntityTooLarge", "The request is too large.");
  }
  process.stderr.write(`dev tenant (Graph): ${(error as { stack?: unknown } | undefined)?.stack ?? error}\n`);
  return new GraphError(500, "UnknownError", "The dev tenant failed to handle the request.");
}

export function notFound(id: string): GraphError {
  return new GraphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

export function insufficientPrivileges(): GraphError {
  return new GraphError(
    403,
    "Authorization_RequestDenied",
    "Insufficient privileges to complete the operation.",
  );
}

export function badRequest(message: string, details?: GraphErrorDetail[]): GraphError {
  return new GraphError(400, "Request_BadRequest", message, details);
}

/** Graph's wording for a property whose value it refuses. */
export function invalidValue(property: string, resource: string): GraphError {
  return badRequest(`Invalid value specified for property '${property}' of resource '${resource}'.`, [
    { code: "InvalidValue", target: property },
  ]);
}

export function conflict(message: string): GraphError {
  return new GraphError(409, "Request_MultipleObjectsWithSameKeyValue", message);
}

export function unsupportedQuery(message: string): GraphError {
  return new GraphError(400, "Request_UnsupportedQuery", message);
}

export function noBackingApplication(appId: string): GraphError {
  const message = `The appId '${appId}' of the service principal does not reference a valid application object.`;
  return badRequest(message, [{ code: "NoBackingApplicationObject", message, target: "appId" }]);
}

/** The 403 Graph returns while a new application replicates, to callers authorised through ownership. */
export function backingApplicationNotLocal(): GraphError {
  return new GraphError(
    403,
    "Authorization_RequestDenied",
    "When using this permission, the backing application of the service principal being created must in the local tenant",
  );
}

export function invalidToken(message: string, authorizeUrl: string): GraphError {
  return new GraphError(401, "InvalidAuthenticationToken", message, undefined, {
    "WWW-Authenticate": `Bearer realm="", authorization_uri="${authorizeUrl}", client_id="00000003-0000-0000-c000-000000000000"`,
  });
}
