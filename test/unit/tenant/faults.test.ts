import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { Clock } from "../../../src/tenant/server/clock.js";
import {
  ENTRA_PROPAGATION,
  FaultInjector,
  NO_FAULTS,
  parseFaultSpec,
} from "../../../src/tenant/server/faults.js";

describe("parseFaultSpec", () => {
  it("reads the compact spec the CLI passes", () => {
    expect(
      parseFaultSpec("429:0.2,503:0.05,504:0.01,latency:50,replication:3000,retry-after:2,seed:42"),
    ).toEqual({
      throttleRate: 0.2,
      unavailableRate: 0.05,
      gatewayTimeoutRate: 0.01,
      latencyMs: 50,
      replicationMs: 3000,
      secretPropagationMs: 0,
      consentPropagationMs: 0,
      retryAfterSeconds: 2,
      seed: 42,
    });
    expect(parseFaultSpec(" replication : 500 ")).toEqual({ ...NO_FAULTS, replicationMs: 500 });
    expect(parseFaultSpec("")).toEqual(NO_FAULTS);
    expect(parseFaultSpec("off")).toEqual(NO_FAULTS);
    // Propagation after writes: alone, Entra-like windows; with a number, both; or each on its own.
    expect(parseFaultSpec("propagation")).toEqual({ ...NO_FAULTS, ...ENTRA_PROPAGATION });
    expect(parseFaultSpec("propagation:1500")).toEqual({
      ...NO_FAULTS,
      secretPropagationMs: 1500,
      consentPropagationMs: 1500,
    });
    expect(parseFaultSpec("secret-propagation:2000")).toEqual({ ...NO_FAULTS, secretPropagationMs: 2000 });
    expect(() => parseFaultSpec("propagation:soon")).toThrow(/propagation must be alone or a whole number/);
  });

  it("reports every problem at once as a usage error", () => {
    let error: unknown;
    try {
      parseFaultSpec("429:1.5,latency:-3,teapot:1,503,seed:x,429:0.9,504:0.5");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as UsageError).message;
    for (const part of [
      "429 must be a rate from 0 to 1",
      "latency must be a whole number of 0 or more",
      "unknown fault 'teapot'",
      "'503' needs a number after the colon",
      "'seed:x' needs a number after the colon",
      "add up to more than 1",
    ]) {
      expect(message).toContain(part);
    }
    expect((error as UsageError).suggestion).toMatch(/429:0.2,503:0.05/);
  });
});

describe("FaultInjector", () => {
  it("draws the same faults for the same seed, and none when off", () => {
    const draw = (seed: number) => {
      const faults = new FaultInjector(new Clock(), {
        ...NO_FAULTS,
        throttleRate: 0.3,
        unavailableRate: 0.2,
        seed,
      });
      return Array.from({ length: 50 }, () => faults.nextRequestFault() ?? "ok");
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    const kinds = new Set(draw(42));
    expect([...kinds].sort()).toEqual(["429", "503", "ok"]);
    const off = new FaultInjector(new Clock());
    expect(Array.from({ length: 20 }, () => off.nextRequestFault())).toEqual(Array(20).fill(undefined));
  });

  it("keeps a created object replicating for the window on the tenant clock", () => {
    const start = Date.now();
    const clock = new Clock(() => start);
    const faults = new FaultInjector(clock, { ...NO_FAULTS, replicationMs: 1000 });
    faults.markCreated("ABC");
    expect(faults.isReplicating("abc")).toBe(true);
    clock.advance(999);
    expect(faults.isReplicating("abc")).toBe(true);
    clock.advance(1);
    expect(faults.isReplicating("abc")).toBe(false);
    const off = new FaultInjector(clock);
    off.markCreated("x");
    expect(off.isReplicating("x")).toBe(false);
  });
});
