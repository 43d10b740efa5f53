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

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: GraphErrorDetail[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface GraphRequestIds {
  requestId: string;
  clientRequestId: string;
}

export function graphErrorBody(error: GraphError, ids: GraphRequestIds) {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      innerError: {
        date: new Date().toISOString().replace(/\.\d+Z$/, ""),
        "request-id": ids.requestId,
        "client-request-id": ids.clientRequestId,
      },
    },
  };
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
