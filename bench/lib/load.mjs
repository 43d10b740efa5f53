import { Agent, request } from "undici";
import { percentile, round } from "./stats.mjs";

/**
 * A closed-loop load generator: `concurrency` workers each run `iteration(client)` back to back for
 * `durationMs`; keep-alive connections, TLS trusting the given CA. Returns completed iterations per
 * second and latency percentiles (ms); given `cpuSeconds` (a server process's CPU time so far), also
 * `cpuMs`: that process's CPU milliseconds per completed iteration over the measured window.
 */
export async function runLoad({
  iteration,
  concurrency = 16,
  durationMs = 8000,
  warmupMs = 1500,
  ca,
  cpuSeconds,
}) {
  const dispatcher = new Agent({ connections: concurrency, pipelining: 1, connect: ca ? { ca } : undefined });
  const client = {
    async send(url, options = {}) {
      const response = await request(url, { dispatcher, ...options });
      const text = await response.body.text();
      return { status: response.statusCode, headers: response.headers, text };
    },
  };
  const latencies = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const started = performance.now();
      try {
        await iteration(client);
        if (measuring) latencies.push(performance.now() - started);
      } catch (error) {
        if (measuring) errors++;
        if (errors > 50 && errors > latencies.length) throw error;
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  measuring = true;
  const cpuBefore = cpuSeconds?.();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  measuring = false;
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = cpuSeconds?.();
  const completed = latencies.length;
  stop = true;
  await Promise.all(workers);
  await dispatcher.close();
  return {
    perSecond: round(completed / elapsed, 1),
    p50: round(percentile(latencies, 50), 1),
    p99: round(percentile(latencies, 99), 1),
    errors,
    ...(cpuBefore !== undefined && cpuAfter !== undefined
      ? { cpuMs: ((cpuAfter - cpuBefore) * 1000) / completed }
      : {}),
  };
}

/**
 * Loads compared fairly on a machine whose background load drifts: short slices of each, alternated
 * (A B, then B A, …) for `rounds` rounds, after `firstWarmupMs` of unmeasured load on each (a server's
 * JIT settles). Each contender is an iteration, or { iteration, cpuSeconds } to measure a server
 * process's CPU per iteration too. Returns each contender's slices (runLoad's results), round by
 * round, so ratios can be taken per round.
 */
export async function alternateLoads(
  contenders,
  { rounds = 5, sliceMs = 2500, firstWarmupMs = 1000, ...options } = {},
) {
  const slices = contenders.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = contenders.map((_, index) => index);
    if (round % 2) order.reverse();
    for (const index of order) {
      const contender = contenders[index];
      const { iteration, cpuSeconds } =
        typeof contender === "function" ? { iteration: contender } : contender;
      slices[index].push(
        await runLoad({
          ...options,
          iteration,
          cpuSeconds,
          durationMs: sliceMs,
          warmupMs: round === 0 ? firstWarmupMs : 300,
        }),
      );
    }
  }
  return slices;
}

/** Two loads compared fairly (alternateLoads), each summed over its slices. */
export async function compareLoads(a, b, { rounds = 4, ...options } = {}) {
  const slices = await alternateLoads([a, b], { rounds, ...options });
  return slices.map((results) => ({
    perSecond: round(results.reduce((sum, result) => sum + result.perSecond, 0) / results.length, 1),
    p50: round(Math.max(...results.map((result) => result.p50)), 1),
    p99: round(Math.max(...results.map((result) => result.p99)), 1),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
  }));
}
