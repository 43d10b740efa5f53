/** A failed Graph call, reduced to what callers decide on: status, Graph's codes, Retry-After. */
export interface GraphFailure {
  status: number;
  code: string;
  /** Codes in `error.details[]`, e.g. NoBackingApplicationObject. */
  detailCodes: string[];
  message: string;
  retryAfterSeconds?: number;
}

/** Reads a GraphError from @microsoft/microsoft-graph-client (or any error) into a GraphFailure. */
export function graphFailure(error: unknown): GraphFailure | undefined {
  const candidate = error as {
    statusCode?: number;
    code?: string | null;
    body?: unknown;
    headers?: Headers;
    message?: string;
  };
  if (typeof candidate?.statusCode !== "number" || candidate.statusCode < 100) return undefined;
  let details: { code?: string }[] = [];
  try {
    const body = typeof candidate.body === "string" ? JSON.parse(candidate.body) : candidate.body;
    details = Array.isArray(body?.details) ? body.details : [];
  } catch {
    // Not a JSON body: no details.
  }
  const retryAfter = Number(candidate.headers?.get?.("retry-after"));
  return {
    status: candidate.statusCode,
    code: candidate.code ?? "",
    detailCodes: details.map((detail) => detail.code ?? "").filter(Boolean),
    message: candidate.message ?? "",
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
  };
}

export function hasCode(failure: GraphFailure, code: string): boolean {
  return failure.code === code || failure.detailCodes.includes(code);
}
