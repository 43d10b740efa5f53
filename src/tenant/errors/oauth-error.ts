import { WireError } from "./wire-error.js";

/**
 * A plain OAuth error (RFC 6749 §5.2): `{"error","error_description"}`, for what the identity
 * endpoints refuse that is no Entra error (a malformed request, an unknown path) and for the masked
 * server error.
 */
export class OAuthError extends WireError {
  constructor(
    status: number,
    readonly error: string,
    description: string,
  ) {
    super(status, description);
  }

  body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}

/** A request the endpoint cannot take, described. */
export function invalidRequest(description: string, status = 400): OAuthError {
  return new OAuthError(status, "invalid_request", description);
}

/** A body or URL that does not parse (or is too large), described no further. */
export function malformedRequest(status: number): OAuthError {
  return invalidRequest("Malformed request.", status);
}

/**
 * What the identity endpoints answer for an error that is no WireError: a client error from express
 * or its body parsers (a `status` below 500) as a malformed request; anything else as a server
 * error whose details go to the tenant's stderr, never to the body.
 */
export function asOAuthError(error: unknown): WireError {
  const declared = (error as { status?: unknown } | undefined)?.status;
  if (typeof declared === "number" && declared < 500) return malformedRequest(declared);
  process.stderr.write(`dev tenant: ${(error as { stack?: unknown } | undefined)?.stack ?? error}\n`);
  return new OAuthError(500, "server_error", "The dev tenant failed to handle the request.");
}
