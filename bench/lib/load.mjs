import { Agent, request } from "undici";
import { percentile, round } from "./stats.mjs";

/**
 * A closed-loop load generator: `concurrency` workers each run `iteration(client)` back to back for
 * `durationMs`; keep-alive connections, TLS trusting the given CA. Returns completed iterations per
 * second and latency percentiles (ms).
 */
export async function runLoad({ iteration, concurrency = 16, durationMs = 8000, warmupMs = 1500, ca }) {
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
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  measuring = false;
  const elapsed = (performance.now() - started) / 1000;
  stop = true;
  await Promise.all(workers);
  await dispatcher.close();
  return {
    perSecond: round(latencies.length / elapsed, 1),
    p50: round(percentile(latencies, 50), 1),
    p99: round(percentile(latencies, 99), 1),
    errors,
  };
}

/**
 * Two loads compared fairly on a machine whose background load drifts: short slices of each,
 * alternated (A B A B …), then summed. Returns both results.
 */
export async function compareLoads(a, b, { rounds = 4, sliceMs = 2500, ...options } = {}) {
  const totals = [
    { count: 0, seconds: 0, p50: [], p99: [], errors: 0 },
    { count: 0, seconds: 0, p50: [], p99: [], errors: 0 },
  ];
  for (let round = 0; round < rounds; round++) {
    for (const [index, iteration] of [a, b].entries()) {
      const result = await runLoad({
        ...options,
        iteration,
        durationMs: sliceMs,
        warmupMs: round === 0 ? 1000 : 300,
      });
      const total = totals[index];
      total.count += result.perSecond * (sliceMs / 1000);
      total.seconds += sliceMs / 1000;
      total.p50.push(result.p50);
      total.p99.push(result.p99);
      total.errors += result.errors;
    }
  }
  return totals.map((total) => ({
    perSecond: round(total.count / total.seconds, 1),
    p50: round(Math.max(...total.p50), 1),
    p99: round(Math.max(...total.p99), 1),
    errors: total.errors,
  }));
}
