// `register` against an in-process dev tenant: Graph round trips and wall time of each preset's
// first run and of a second (no-op) run; wall times as a ratio to one Graph GET measured in the
// same run (the baseline). Goal: the full remote preset in ≤10 round trips.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentUi } from "../dist/core/silent-ui.js";
import { inProcessTenantTarget } from "../dist/entra/login/in-process-target.js";
import { runRegister } from "../dist/entra/registration/run-register.js";
import { trustedFetch } from "../dist/entra/trust.js";
import { startDevTenant } from "../dist/tenant/index.js";
import { median, round } from "./lib/stats.mjs";

const REMOTE_ROUND_TRIP_GOAL = 10;
const repeat = 3;

export async function run({ log }) {
  const home = await mkdtemp(join(tmpdir(), "mcp-entra-bench-"));
  const tenant = await startDevTenant({ home, port: 0 });
  try {
    const target = inProcessTenantTarget(tenant, home);
    // Sign in once up front (msal caches the token): the runs below measure Graph work only.
    const token = await target.graphToken();
    const baselines = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const response = await trustedFetch([tenant.caPem])(`${tenant.url}/v1.0/organization`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok) throw new Error(`GET /organization answered ${response.status}`);
      await response.arrayBuffer();
      baselines.push(performance.now() - started);
    }
    const baselineMs = median(baselines);

    const rows = [];
    for (const [preset, flags] of [
      ["remote", { preset: "remote" }],
      ["proxy", { preset: "proxy", serverUrl: "http://localhost:8787/mcp" }],
      ["local", { preset: "local" }],
      ["ci", { preset: "ci", githubRepo: "octo/mcp-server" }],
    ]) {
      log(`  register --preset ${preset}`);
      const samples = { first: [], second: [] };
      const counts = { first: { roundTrips: 0, writes: 0 }, second: { roundTrips: 0, writes: 0 } };
      for (let i = 0; i < repeat; i++) {
        const dir = await mkdtemp(join(tmpdir(), "mcp-entra-bench-project-"));
        const deps = { ui: silentUi(), target: async () => target };
        // The ci preset needs the API it gets roles on: registered first, outside the measurement.
        if (preset === "ci") await runRegister({ preset: "remote", dir }, deps);
        for (const run of ["first", "second"]) {
          tenant.clearRequestLog();
          const started = performance.now();
          const result = await runRegister({ ...flags, dir }, deps);
          samples[run].push(performance.now() - started);
          counts[run] = {
            roundTrips: tenant.requestLog({ kind: "graph" }).length,
            writes: tenant.requestLog({ kind: "graph", writesOnly: true }).length,
          };
          if (counts[run].roundTrips !== result.graph.roundTrips) {
            throw new Error(
              `${preset}: the tenant saw ${counts[run].roundTrips} requests, register counted ${result.graph.roundTrips}`,
            );
          }
        }
        await rm(dir, { recursive: true, force: true });
      }
      for (const run of ["first", "second"]) {
        const wallMs = median(samples[run]);
        rows.push({ preset, run, ...counts[run], wallMs, ratio: wallMs / baselineMs });
      }
    }

    return rows.map((row) => {
      const isGoal = row.preset === "remote" && row.run === "first";
      return {
        name: `register --preset ${row.preset} (${row.run === "first" ? "first run" : "re-run, no changes"})`,
        value: `${row.roundTrips} round trips, ${row.writes} writes, ${round(row.wallMs, 0)} ms`,
        baseline: `one Graph GET: ${round(baselineMs, 1)} ms`,
        ratio: round(row.ratio, 1),
        goal: isGoal ? `≤ ${REMOTE_ROUND_TRIP_GOAL} round trips` : row.run === "first" ? "—" : "0 writes",
        pass: isGoal ? row.roundTrips <= REMOTE_ROUND_TRIP_GOAL : row.run === "first" || row.writes === 0,
      };
    });
  } finally {
    await tenant.stop();
    await rm(home, { recursive: true, force: true });
  }
}
