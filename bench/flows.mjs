// Wall time of the flows people wait for: `mcp-entra quickstart` cold — a fresh home and folder, so
// the dev tenant's first start (keys, password hashes) is in it — then scaffold, register, mcp-entra's
// build of the server, run, test-flow twice (2026-07-28 with probes, 2025-11-25); the same quickstart
// again once the project is installed (it then builds itself with tsc); and `mcp-entra test-flow`
// against the running server (full headless sign-in each time). Baselines in the same run: `node -e 0`
// measured interleaved with each (how many bare Node starts a flow costs), and the `npm install` of the
// project that quickstart leaves to the user (170-odd packages). CPU times (user + system, the
// process and the children it waited for; the detached tenant's apart) tell what the wall time hides
// on a busy machine.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { usePackedRegistry } from "./lib/packed-registry.mjs";
import { measureInterleaved, measureOnce, processCpuMs, timeOnce } from "./lib/spawn-timing.mjs";
import { median, round } from "./lib/stats.mjs";

const cli = fileURLToPath(new URL("../bin/mcp-entra.js", import.meta.url));
const VSCODE = "aebc6443-996d-45c2-90f0-388ff96faa56";
const COLD_RUNS = 5;

export async function run({ log }) {
  // The project's npm install gets this build of mcp-entra, as it would get the published one.
  await usePackedRegistry();
  log(
    `  quickstart cold: ${COLD_RUNS} runs and a warm-up, each in a fresh home and folder, with node -e 0 between`,
  );
  const cold = [];
  const bare = [];
  let last;
  for (let round = -1; round < COLD_RUNS; round++) {
    for (let i = 0; i < 3; i++) bare.push((await measureOnce(process.execPath, ["-e", "0"])).ms);
    const run = await coldQuickstart();
    if (round >= 0) cold.push(run);
    if (last) await discard(last);
    last = run;
  }
  const { home, work, env } = last;
  let server;
  try {
    const project = join(work, "demo");
    // The next step quickstart prints, and what it no longer waits for.
    log("  npm install of the project quickstart made (the next step it prints)");
    const npmInstall = await timeOnce("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
      cwd: project,
      env,
    });
    log("  quickstart again, on the installed project (it builds itself)");
    const rerun = await timeOnce(process.execPath, [cli, "quickstart", "demo"], { cwd: work, env });
    log("  test-flow against the running server (7 runs, fresh sign-in each)");
    await timeOnce(process.execPath, [cli, "tenant", "start", "--detach", "--auto-approve"], { env });
    // It trusts the dev tenant as a generated server does: NODE_EXTRA_CA_CERTS, set before it starts.
    server = spawn(process.execPath, ["dist/main.js"], {
      cwd: project,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...env, NODE_EXTRA_CA_CERTS: join(home, "dev-tenant", "ca.pem") },
    });
    await listening(server);
    // The port quickstart chose (3000 unless something else holds it).
    const url = (await readFile(join(project, ".env"), "utf8")).match(/^MCP_SERVER_URL=(\S+)$/m)[1];
    const flow = ["test-flow", url, "--auth", "headless", "--client-id", VSCODE, "--no-resource", "--fresh"];
    // Interleaved with bare Node starts, so that both see the same background load.
    const [bareNearby, testFlow] = await measureInterleaved(
      [
        { command: process.execPath, args: ["-e", "0"] },
        { command: process.execPath, args: [cli, ...flow], options: { env } },
      ],
      7,
    );
    const bareMs = median(bare);
    const quickstart = median(cold.map((run) => run.ms));
    const cpu = (key) => round(median(cold.map((run) => run[key] ?? 0)), 0);
    return [
      {
        name: "test-flow against a running server (headless sign-in, session, list, call)",
        value: `${round(testFlow.ms, 0)} ms (CPU ${round(testFlow.cpuMs ?? 0, 0)} ms)`,
        baseline: `node -e 0: ${round(bareNearby.ms, 0)} ms (CPU ${round(bareNearby.cpuMs ?? 0, 0)} ms)`,
        ratio: round(testFlow.ms / bareNearby.ms, 1),
        goal: "≤ 4× node -e 0",
        pass: testFlow.ms <= 4 * bareNearby.ms,
      },
      {
        name: "quickstart cold (tenant's first start, scaffold, register, run, test-flow ×2 with probes)",
        value: `${round(quickstart / 1000, 2)} s (CPU ${cpu("cpuMs")} ms + tenant ${cpu("tenantCpuMs")} ms)`,
        baseline: `node -e 0: ${round(bareMs, 0)} ms`,
        ratio: round(quickstart / bareMs, 1),
        goal: "≤ 30× node -e 0",
        pass: quickstart <= 30 * bareMs,
      },
      {
        name: "quickstart vs the npm install of its project, left to the user",
        value: `${round(quickstart / 1000, 1)} s`,
        baseline: `npm install: ${round(npmInstall / 1000, 1)} s`,
        ratio: round(quickstart / npmInstall, 2),
        goal: "—",
        pass: true,
      },
      {
        name: "quickstart again on the installed project (npm run build, run, test-flow)",
        value: `${round(rerun / 1000, 1)} s`,
        baseline: `node -e 0: ${round(bareMs, 0)} ms`,
        ratio: round(rerun / bareMs, 0),
        goal: "—",
        pass: true,
      },
    ];
  } finally {
    server?.kill("SIGTERM");
    await discard(last);
  }
}

/** One quickstart from nothing: a fresh home (so a new dev tenant) and a fresh folder. */
async function coldQuickstart() {
  const home = await mkdtemp(join(tmpdir(), "mcp-entra-bench-home-"));
  const work = await mkdtemp(join(tmpdir(), "mcp-entra-bench-quickstart-"));
  const port = String(45000 + Math.floor(Math.random() * 1000));
  const env = { ...process.env, MCP_ENTRA_HOME: home, MCP_ENTRA_TENANT_PORT: port, NO_COLOR: "1" };
  const { ms, cpuMs } = await measureOnce(process.execPath, [cli, "quickstart", "demo"], { cwd: work, env });
  const runtime = JSON.parse(await readFile(join(home, "dev-tenant", "runtime.json"), "utf8"));
  return { home, work, env, ms, cpuMs, tenantCpuMs: processCpuMs(runtime.pid) };
}

async function discard({ home, work, env }) {
  await timeOnce(process.execPath, [cli, "tenant", "stop"], { env, allowFailure: true });
  await rm(work, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
}

/** Resolves once the generated server logs that it listens; rejects if it exits first. */
function listening(child) {
  return new Promise((resolve, reject) => {
    let output = "";
    child.stderr.on("data", (chunk) => {
      output += chunk;
      if (output.includes('"listening"')) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the server exited (${code}): ${output.slice(-500)}`)));
  });
}
