import { describe, expect, it } from "vitest";
import { propagationWaitOf, retryWhilePropagating } from "../../../src/entra/propagation-retry.js";

/** msal-node's shape of an Entra error. */
function entraError(code: number): Error {
  return Object.assign(new Error(`invalid_client: AADSTS${code}: …`), { errorMessage: `AADSTS${code}: …` });
}

describe("retryWhilePropagating", () => {
  it("retries a propagation answer with growing pauses and reports the wait", async () => {
    const pauses: number[] = [];
    let calls = 0;
    const { value, wait } = await retryWhilePropagating(
      async () => {
        calls++;
        if (calls < 4) throw entraError(7000215);
        return "token";
      },
      { sleep: async (ms) => void pauses.push(ms) },
    );
    expect(value).toBe("token");
    expect(pauses).toEqual([1000, 2000, 4000]);
    expect(wait).toEqual({ retries: 3, waitedMs: 7000, code: 7000215 });
  });

  it("gives up at the bound with the last error, carrying the wait; other errors are not retried", async () => {
    const pauses: number[] = [];
    const sleep = async (ms: number) => void pauses.push(ms);
    const error = await retryWhilePropagating(() => Promise.reject(entraError(65001)), {
      maxWaitMs: 5000,
      sleep,
    }).catch((failure: unknown) => failure);
    expect(pauses).toEqual([1000, 2000, 2000]);
    expect(propagationWaitOf(error)).toEqual({ retries: 3, waitedMs: 5000, code: 65001 });

    pauses.length = 0;
    await expect(retryWhilePropagating(() => Promise.reject(entraError(7000222)), { sleep })).rejects.toThrow(
      /AADSTS7000222/,
    );
    await expect(
      retryWhilePropagating(() => Promise.reject(entraError(7000215)), { maxWaitMs: 0, sleep }),
    ).rejects.toThrow(/AADSTS7000215/);
    expect(pauses).toEqual([]);
  });
});
