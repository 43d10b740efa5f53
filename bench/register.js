// @ts-check
/**
 * `register` against an in-process dev tenant: Graph round trips and wall time of each preset's
 * first run and of a second (no-op) run, as a table; wall times also as a ratio to one Graph GET
 * measured in the same run (the baseline), so numbers compare across machines.
 *
 *     npm run build && node bench/register.js            # table on stdout
 *     node bench/register.js --json                      # one JSON document
 *     node bench/register.js --repeat 5                  # median of 5 runs per preset
 *
 * Plain ESM over the compiled code in dist/ (no TypeScript loader needed). Exit code 1 when the
 * full remote preset takes more than 10 Graph round trips (the goal).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Writable } from "node:stream";
import { Ui } from "../dist/core/ui.js";
import { devTenantTarget } from "../dist/entra/login/dev-tenant-target.js";
import { runRegister } from "../dist/entra/registration/run-register.js";
import { startDevTenant, TenantAdminClient } from "../dist/tenant/index.js";

const REMOTE_ROUND_TRIP_GOAL = 10;
const args = process.argv.slice(2);
const json = args.includes("--json");
const repeat = Math.max(1, Number(args[args.indexOf("--repeat") + 1]) || 1);

/** A Ui that writes nowhere: the bench measures register, not the terminal. */
function silentUi() {
  const sink = /** @type {NodeJS.WriteStream} */ (
    /** @type {unknown} */ (new Writable({ write: (_chunk, _encoding, done) => done() }))
  );
  return new Ui({ color: false, env: {}, stdout: sink, stderr: sink });
}

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function main() {
  const home = await mkdtemp(join(tmpdir(), "mcp-entra-bench-"));
  const tenant = await startDevTenant({ home, port: 0 });
  try {
    const target = devTenantTarget(
      {
        url: tenant.url,
        tenantId: tenant.tenantId,
        domain: tenant.domain,
        caPem: tenant.caPem,
        caFile: tenant.caFile,
        admin: TenantAdminClient.for(tenant.url, tenant.adminToken, tenant.caPem),
      },
      home,
    );
    // Sign in once up front (msal caches the token): the runs below measure Graph work only.
    const token = await target.graphToken();
    const baselines = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const response = await tenantFetch(tenant, `${tenant.url}/v1.0/organization`, token);
      if (!response.ok) throw new Error(`GET /organization answered ${response.status}`);
      await response.arrayBuffer();
      baselines.push(performance.now() - started);
    }
    const baselineMs = median(baselines);

    /** @type {{preset: string, run: string, roundTrips: number, writes: number, wallMs: number, ratio: number}[]} */
    const rows = [];
    for (const [preset, flags] of /** @type {const} */ ([
      ["remote", { preset: "remote" }],
      ["proxy", { preset: "proxy", serverUrl: "http://localhost:8787/mcp" }],
      ["local", { preset: "local" }],
      ["ci", { preset: "ci", githubRepo: "octo/mcp-server" }],
    ])) {
      const samples = { first: /** @type {number[]} */ ([]), second: /** @type {number[]} */ ([]) };
      const counts = { first: { roundTrips: 0, writes: 0 }, second: { roundTrips: 0, writes: 0 } };
      for (let i = 0; i < repeat; i++) {
        const dir = await mkdtemp(join(tmpdir(), "mcp-entra-bench-project-"));
        const deps = { ui: silentUi(), target: async () => target };
        // The ci preset needs the API it gets roles on: registered first, outside the measurement.
        if (preset === "ci") await runRegister({ preset: "remote", dir }, deps);
        for (const run of /** @type {const} */ (["first", "second"])) {
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
      for (const run of /** @type {const} */ (["first", "second"])) {
        const wallMs = median(samples[run]);
        rows.push({ preset, run, ...counts[run], wallMs, ratio: wallMs / baselineMs });
      }
    }

    const remoteFirst = rows.find((row) => row.preset === "remote" && row.run === "first");
    const goalMet = (remoteFirst?.roundTrips ?? Infinity) <= REMOTE_ROUND_TRIP_GOAL;
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ baselineGetMs: baselineMs, repeat, rows, goal: { remoteRoundTrips: REMOTE_ROUND_TRIP_GOAL, met: goalMet } }, null, 2)}\n`,
      );
    } else {
      const header = ["preset", "run", "round trips", "writes", "wall ms", "× 1 GET"];
      const lines = rows.map((row) => [
        row.preset,
        row.run === "first" ? "first" : "second (no-op)",
        String(row.roundTrips),
        String(row.writes),
        row.wallMs.toFixed(0),
        row.ratio.toFixed(1),
      ]);
      const widths = header.map((title, i) =>
        Math.max(title.length, ...lines.map((line) => line[i]?.length ?? 0)),
      );
      const format = (/** @type {string[]} */ cells) =>
        cells
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join("  ")
          .trimEnd();
      process.stdout.write(
        `register against an in-process dev tenant (median of ${repeat}; one Graph GET = ${baselineMs.toFixed(1)} ms)\n\n`,
      );
      process.stdout.write(`${format(header)}\n${format(widths.map((width) => "-".repeat(width)))}\n`);
      for (const line of lines) process.stdout.write(`${format(line)}\n`);
      process.stdout.write(
        `\nGoal: the full remote preset in ≤${REMOTE_ROUND_TRIP_GOAL} Graph round trips — ${goalMet ? "met" : "NOT met"} (${remoteFirst?.roundTrips}).\n`,
      );
    }
    process.exitCode = goalMet ? 0 : 1;
  } finally {
    await tenant.stop();
    await rm(home, { recursive: true, force: true });
  }
}

/**
 * One GET through a fetch that trusts the tenant's CA (the same client register uses).
 * @param {import("../dist/tenant/index.js").DevTenant} tenant
 * @param {string} url
 * @param {string} token
 */
async function tenantFetch(tenant, url, token) {
  const { trustedFetch } = await import("../dist/entra/trust.js");
  return trustedFetch([tenant.caPem])(url, { headers: { authorization: `Bearer ${token}` } });
}

await main();
