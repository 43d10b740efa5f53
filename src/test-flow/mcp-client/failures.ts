import { McpEntraError, OperationError } from "../../core/errors.js";
import { isTlsTrustError, networkErrorMessage } from "../http.js";
import type { BearerChallenge } from "../www-authenticate.js";
import { loadSdk } from "./sdk.js";
import type { WireExchange } from "./wire-log.js";

/** The server refused a request for its token: 401 (none, or not valid) or 403 (not enough). */
export interface Refusal {
  status: 401 | 403;
  challenge?: BearerChallenge;
  /** The request it refused, as sent. */
  exchange?: WireExchange;
}

/**
 * Whether an SDK error is the server refusing the token (the transport throws UnauthorizedError on a
 * 401, InsufficientScopeError on a 403 insufficient_scope, SdkHttpError with the status otherwise), and
 * the refused exchange from the wire log, with its challenge.
 */
export async function refusalOf(error: unknown, exchanges: WireExchange[]): Promise<Refusal | undefined> {
  const sdk = await loadSdk();
  const status =
    error instanceof sdk.UnauthorizedError
      ? 401
      : error instanceof sdk.InsufficientScopeError
        ? 403
        : error instanceof sdk.SdkHttpError && (error.status === 401 || error.status === 403)
          ? error.status
          : undefined;
  if (!status) return undefined;
  const exchange = exchanges.findLast((candidate) => candidate.status === status);
  return { status, challenge: exchange?.challenge, exchange };
}

/** Any other failure of an MCP request, in words (with the fix when there is an obvious one). */
export async function mcpFailure(error: unknown, url: string): Promise<McpEntraError> {
  if (error instanceof McpEntraError) return error;
  const sdk = await loadSdk();
  const deadline = causes(error).find((cause) => cause instanceof McpEntraError);
  if (deadline) return deadline as McpEntraError;
  if (
    error instanceof sdk.SdkError &&
    error.code === sdk.SdkErrorCode.EraNegotiationFailed &&
    !networkFailureIn(error)
  ) {
    return new OperationError("PROTOCOL_NEGOTIATION_FAILED", `${url}: ${error.message}`, {
      cause: error,
      suggestion:
        "The server does not speak the revision --protocol asks for: run with --protocol auto (2026-07-28, else the 2025-11-25 initialize).",
    });
  }
  if (error instanceof sdk.SdkError && error.code === sdk.SdkErrorCode.RequestTimeout) {
    return new OperationError("TIMEOUT", `No answer from ${url} within --timeout.`, {
      cause: error,
      suggestion: "Raise --timeout, or check that the server is reachable.",
    });
  }
  if (error instanceof sdk.SdkHttpError) {
    const text = String((error.data as { text?: unknown } | undefined)?.text ?? "").slice(0, 300);
    return new OperationError(
      "MCP_HTTP_ERROR",
      `The server answered HTTP ${error.status}${text ? `: ${text}` : ""}.`,
      { cause: error },
    );
  }
  if (error instanceof sdk.ProtocolError) {
    return new OperationError(
      "MCP_ERROR",
      `The server answered with JSON-RPC error ${error.code}: ${error.message}`,
      {
        cause: error,
      },
    );
  }
  const network = networkFailureIn(error);
  if (network) {
    return new OperationError("SERVER_UNREACHABLE", `Cannot reach ${url}: ${networkErrorMessage(network)}`, {
      cause: error,
      suggestion: isTlsTrustError(network)
        ? "Trust the server's CA with --ca-file <pem> (the dev tenant's is in $MCP_ENTRA_HOME/dev-tenant/ca.pem)."
        : "Check that the server is running and the URL is right.",
    });
  }
  return new OperationError("MCP_ERROR", networkErrorMessage(error), { cause: error });
}

/** The error and the errors it wraps (`cause`, or the SDK's `data.cause`). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < 5; ) {
    chain.push(current);
    const next =
      (current as { cause?: unknown }).cause ?? (current as { data?: { cause?: unknown } }).data?.cause;
    current = next;
  }
  return chain;
}

/** fetch's TypeError ("fetch failed") somewhere in the chain: the server could not be reached. */
function networkFailureIn(error: unknown): TypeError | undefined {
  return causes(error).find((cause): cause is TypeError => cause instanceof TypeError);
}
