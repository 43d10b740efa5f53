import { OperationError } from "../core/errors.js";
import { type FetchLike, isLoopbackHost, trustedFetch } from "../entra/trust.js";

export { isLoopbackHost };

/**
 * Plain http is allowed only on loopback (local testing); anything else must be https. Returns the
 * problem, or undefined when the URL is acceptable.
 */
export function insecureUrlProblem(url: string, what: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${what} ${url} is not a URL`;
  }
  if (parsed.protocol === "https:") return undefined;
  if (parsed.protocol === "http:" && isLoopbackHost(parsed.hostname)) return undefined;
  if (parsed.protocol === "http:") return `${what} ${url} uses plain http, which is allowed only on loopback`;
  return `${what} ${url} is not an http(s) URL`;
}

/**
 * The fetch every request of a flow goes through: the system CAs plus the extra ones (per client,
 * TLS checks stay on), and the flow's deadline (--timeout), reported as such when it strikes.
 */
export function flowFetch(caPems: string[], deadline: AbortSignal, timeoutSeconds: number): FetchLike {
  const base = trustedFetch(caPems);
  return async (input, init) => {
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    try {
      return await base(input, { ...init, signal });
    } catch (error) {
      if (!deadline.aborted) throw error;
      throw new OperationError(
        "TIMEOUT",
        `No answer from ${String(input)} within --timeout (${timeoutSeconds} s).`,
        {
          suggestion: "Raise --timeout, or check that the server is reachable.",
        },
      );
    }
  };
}

/** Reads a JSON body, or undefined when it is not JSON. */
export async function jsonBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A network failure in words: fetch's "fetch failed" plus its cause (ECONNREFUSED, a TLS problem…). */
export function networkErrorMessage(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const base = error instanceof Error ? error.message : String(error);
  if (!cause) return base;
  return `${base} (${[cause.code, cause.message].filter(Boolean).join(": ")})`;
}

/** Whether a network failure is a certificate the client does not trust. */
export function isTlsTrustError(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } })?.cause?.code ?? "";
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code);
}

/**
 * A fetch that notes every URL it requests and what came back ("url → HTTP 404"), for the evidence of
 * the discovery steps (the SDK's discovery returns only the document it settled on).
 */
export function recordingFetch(fetchImpl: FetchLike): { fetch: FetchLike; tried: string[] } {
  const tried: string[] = [];
  return {
    tried,
    fetch: async (input, init) => {
      const url = input instanceof URL ? input.href : String(input);
      try {
        const response = await fetchImpl(input, init);
        tried.push(`${url} → HTTP ${response.status}`);
        return response;
      } catch (error) {
        tried.push(`${url} → ${networkErrorMessage(error)}`);
        throw error;
      }
    },
  };
}
