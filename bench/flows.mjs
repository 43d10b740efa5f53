// Wall time of the flows people wait for: `mcp-entra quickstart` from a fresh folder (dev tenant
// start, scaffold, register, npm install, build, run, test-flow with probes) and `mcp-entra
// test-flow` against the running server it built (full headless sign-in each time). Baselines in
// the same run: `node -e 0` (how many bare Node starts each flow costs) and `npm ci` of the project
// quickstart made (the share of quickstart that is npm installing 170-odd packages).
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { timeInterleaved, timeOnce } from "./lib/spawn-timing.mjs";
import { round } from "./lib/stats.mjs";

const cli = fileURLToPath(new URL("../bin/mcp-entra.js", import.meta.url));
const VSCODE = "aebc6443-996d-45c2-90f0-388ff96faa56";

export async function run({ log }) {
  const home = await mkdtemp(join(tmpdir(), "mcp-entra-bench-home-"));
  const work = await mkdtemp(join(tmpdir(), "mcp-entra-bench-quickstart-"));
  const port = String(45000 + Math.floor(Math.random() * 1000));
  const env = { ...process.env, MCP_ENTRA_HOME: home, MCP_ENTRA_TENANT_PORT: port, NO_COLOR: "1" };
  const [bare] = await timeInterleaved([{ command: process.execPath, args: ["-e", "0"] }], 5);
  try {
    log("  quickstart from a fresh folder");
    const quickstart = await timeOnce(process.execPath, [cli, "quickstart", "demo"], { cwd: work, env });
    const project = join(work, "demo");
    log("  test-flow against the running server (5 runs, fresh sign-in each)");
    await timeOnce(process.execPath, [cli, "tenant", "start", "--detach", "--auto-approve"], { env });
    const server = spawn(process.execPath, ["dist/main.js"], { cwd: project, stdio: "ignore", env });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const url = "http://localhost:3000/mcp";
    const flow = ["test-flow", url, "--auth", "headless", "--client-id", VSCODE, "--no-resource", "--fresh"];
    const [testFlow] = await timeInterleaved(
      [{ command: process.execPath, args: [cli, ...flow], options: { env } }],
      5,
    );
    server.kill("SIGTERM");
    // The part of quickstart no CLI controls: npm installing the same project (its lockfile now
    // exists, so this is npm's fastest path) on the same machine, in the same run.
    log("  npm ci of the same project (baseline)");
    await rm(join(project, "node_modules"), { recursive: true, force: true });
    const npmCi = await timeOnce("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], {
      cwd: project,
      env,
    });
    const own = quickstart - npmCi;
    return [
      {
        name: "test-flow against a running server (headless sign-in, initialize, list, call)",
        value: `${round(testFlow, 0)} ms`,
        baseline: `node -e 0: ${round(bare, 0)} ms`,
        ratio: round(testFlow / bare, 1),
        goal: "≤ 1 s",
        pass: testFlow <= 1000,
      },
      {
        name: "quickstart from a fresh folder (incl. npm install and build)",
        value: `${round(quickstart / 1000, 1)} s`,
        baseline: `node -e 0: ${round(bare, 0)} ms`,
        ratio: round(quickstart / bare, 0),
        goal: "≤ 10 s",
        pass: quickstart <= 10_000,
      },
      {
        name: "quickstart vs npm ci of the project it makes",
        value: `${round(quickstart / 1000, 1)} s, of which ${round(own / 1000, 1)} s beyond npm's install`,
        baseline: `npm ci (lockfile present): ${round(npmCi / 1000, 1)} s`,
        ratio: round(quickstart / npmCi, 2),
        goal: "— (beyond npm: ≤ 10 s)",
        pass: own <= 10_000,
      },
    ];
  } finally {
    await timeOnce(process.execPath, [cli, "tenant", "stop"], { env, allowFailure: true });
    await rm(work, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  }
}
