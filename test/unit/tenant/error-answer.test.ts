import { afterEach, describe, expect, it, vi } from "vitest";
import { errorAnswer } from "../../../src/tenant/errors/error-answer.js";
import { OAuthError } from "../../../src/tenant/errors/oauth-error.js";
import { AadstsError } from "../../../src/tenant/errors/protocol-error.js";
import { asGraphError, GraphError } from "../../../src/tenant/graph/errors.js";

const request = { origin: "https://localhost:1", clientRequestId: "abc-123", requestId: "req-1" };

describe("errorAnswer: every error answered in its dialect, internals never in the body", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("answers each wire error in its own dialect, with its status and headers", () => {
    const aadsts = errorAnswer(new AadstsError(70003, { grantType: "x" }), request);
    expect(aadsts).toMatchObject({
      status: 400,
      headers: { "Cache-Control": "no-store", "Content-Type": "application/json; charset=utf-8" },
      body: { error: "unsupported_grant_type", error_codes: [70003], correlation_id: "abc-123" },
    });
    expect(errorAnswer(new OAuthError(404, "not_found", "No such endpoint."), request)).toEqual({
      status: 404,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: { error: "not_found", error_description: "No such endpoint." },
    });
    const graph = errorAnswer(
      new GraphError(429, "TooManyRequests", "Slow down.", undefined, { "Retry-After": "1" }),
      request,
    );
    expect(graph.status).toBe(429);
    expect(graph.headers["Retry-After"]).toBe("1");
    expect(graph.headers["Content-Type"]).toMatch(/^application\/json;odata\.metadata=minimal;/);
    expect(graph.body).toMatchObject({
      error: {
        code: "TooManyRequests",
        innerError: { "request-id": "req-1", "client-request-id": "abc-123" },
      },
    });
  });

  it("masks any other failure as a server error in the endpoint's dialect; the details go to stderr", () => {
    const stderr = vi.spyOn(process.stderr, "write").mockReturnValue(true);
    const failure = new Error("EACCES: /home/someone/.mcp-entra/dev-tenant/state.json");
    const identity = errorAnswer(failure, request);
    expect(identity).toEqual({
      status: 500,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: { error: "server_error", error_description: "The dev tenant failed to handle the request." },
    });
    const graph = errorAnswer(failure, request, asGraphError);
    expect(graph.status).toBe(500);
    expect(JSON.stringify(graph.body)).not.toContain("EACCES");
    expect(graph.body).toMatchObject({ error: { code: "UnknownError" } });
    expect(stderr.mock.calls.map(([text]) => String(text)).join("")).toContain("EACCES");
  });
});
