import { describe, expect, it } from "vitest";
import { OperationError } from "../../src/core/errors.js";
import { retryPolicy, withRetry } from "../../src/entra/graph-retry.js";

function graphError(
  status: number,
  code: string,
  options: { retryAfter?: number; detail?: string; message?: string } = {},
) {
  return Object.assign(new Error(options.message ?? code), {
    statusCode: status,
    code,
    body: JSON.stringify({
      code,
      message: options.message ?? code,
      details: options.detail ? [{ code: options.detail }] : [],
    }),
    headers: new Headers(
      options.retryAfter === undefined ? {} : { "retry-after": String(options.retryAfter) },
    ),
  });
}

function recordingPolicy(timeoutMs = 60_000) {
  const sleeps: number[] = [];
  const policy = retryPolicy({ timeoutMs, random: () => 1, sleep: async (ms) => void sleeps.push(ms) });
  return { policy, sleeps };
}

function failingTimes(errors: Error[], result = "ok") {
  let calls = 0;
  return {
    call: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return result;
    },
    calls: () => calls,
  };
}

describe("withRetry", () => {
  it("honours Retry-After on 429 and retries 503/504", async () => {
    const { policy, sleeps } = recordingPolicy();
    const target = failingTimes([
      graphError(429, "TooManyRequests", { retryAfter: 2 }),
      graphError(503, "x"),
      graphError(504, "y"),
    ]);
    await expect(withRetry("create app", target.call, policy)).resolves.toBe("ok");
    expect(target.calls()).toBe(4);
    expect(sleeps[0]).toBe(2000);
    expect(sleeps.slice(1)).toEqual([500, 1000]);
  });

  it("retries replication errors only where the caller allows it", async () => {
    const replication = () => graphError(400, "Request_BadRequest", { detail: "NoBackingApplicationObject" });
    const { policy } = recordingPolicy();
    const allowed = failingTimes([replication(), replication()]);
    await expect(withRetry("create SP", allowed.call, policy, { replication: true })).resolves.toBe("ok");
    const refused = failingTimes([replication()]);
    await expect(withRetry("create SP", refused.call, policy)).rejects.toThrow("Request_BadRequest");
    expect(refused.calls()).toBe(1);
  });

  it("counts a grant or assignment naming a principal Graph does not see yet as replication delay", async () => {
    const { policy } = recordingPolicy();
    const target = failingTimes([
      graphError(400, "Request_BadRequest", {
        message: "Invalid value specified for property 'clientId' of resource 'OAuth2PermissionGrant'.",
      }),
      graphError(400, "Request_BadRequest", { message: "Not a valid reference update." }),
    ]);
    await expect(withRetry("grant", target.call, policy, { replication: true })).resolves.toBe("ok");
    expect(target.calls()).toBe(3);
    const scope = failingTimes([
      graphError(400, "Request_BadRequest", {
        message: "Invalid value specified for property 'scope' of resource 'OAuth2PermissionGrant'.",
      }),
    ]);
    await expect(withRetry("grant", scope.call, policy, { replication: true })).rejects.toThrow();
    expect(scope.calls()).toBe(1);
  });

  it("never retries other client errors", async () => {
    const { policy } = recordingPolicy();
    const target = failingTimes([graphError(400, "HostNameNotOnVerifiedDomain")]);
    await expect(withRetry("patch", target.call, policy, { replication: true })).rejects.toThrow(
      "HostNameNotOnVerifiedDomain",
    );
    expect(target.calls()).toBe(1);
  });

  it("gives up at the deadline with an OperationError", async () => {
    const { policy } = recordingPolicy(1_000);
    const target = failingTimes(
      Array.from({ length: 50 }, () => graphError(429, "TooManyRequests", { retryAfter: 5 })),
    );
    await expect(withRetry("create app", target.call, policy)).rejects.toBeInstanceOf(OperationError);
    expect(target.calls()).toBe(1);
  });
});
