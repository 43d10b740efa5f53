import { describe, expect, it } from "vitest";
import { RequestLog } from "../../../src/tenant/server/request-log.js";

describe("RequestLog", () => {
  it("is bounded: the oldest entries drop off", () => {
    const log = new RequestLog(3);
    for (let index = 1; index <= 5; index++) {
      log.add({
        at: "",
        kind: "graph",
        method: "GET",
        path: `/v1.0/x${index}`,
        status: 200,
        durationMs: 1,
        write: false,
      });
    }
    expect(log.entries().map((entry) => [entry.seq, entry.path])).toEqual([
      [3, "/v1.0/x3"],
      [4, "/v1.0/x4"],
      [5, "/v1.0/x5"],
    ]);
    log.clear();
    expect(log.entries()).toEqual([]);
  });
});
