/** What an error's body may quote of the request it answers. */
export interface ErrorRequest {
  /** The tenant's origin: AADSTS bodies link to its error page. */
  origin: string;
  /** The client's `client-request-id` as sent (form field or header); quoted only when well formed. */
  clientRequestId?: unknown;
  /** The id the tenant gave the request (Graph's `request-id` header). */
  requestId?: string;
}

/**
 * An error the dev tenant answers on the wire: an HTTP status, headers, and a JSON body in the
 * dialect of the API that throws it — Entra's AADSTS body (AadstsError), Graph's OData error
 * (GraphError), a plain OAuth error (OAuthError). Thrown anywhere below an endpoint and answered in
 * one place (error-answer.ts); anything else that reaches there is masked as a server error.
 */
export abstract class WireError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** The body's media type. */
  get contentType(): string {
    return "application/json; charset=utf-8";
  }

  /** The JSON body, quoting the request's ids where the dialect does. */
  abstract body(request: ErrorRequest): object;
}
