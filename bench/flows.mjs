// Wall time of the flows people wait for: `mcp-entra quickstart` from a fresh folder (dev tenant
// start, scaffold, register, mcp-entra's build of the server, run, test-flow with probes), the same
// quickstart again once the project is installed (it then builds itself with tsc), and `mcp-entra
// test-flow` against the running server (full headless sign-in each time). Baselines in the same run:
// `node -e 0` (how many bare Node starts each flow costs) and the `npm install` of the project that
// quickstart leaves to the user (170-odd packages).
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { usePackedRegistry } from "./lib/packed-registry.mjs";
import { timeInterleaved, timeOnce } from "./lib/spawn-timing.mjs";
import { round } from "./lib/stats.mjs";

const cli = fileURLToPath(new URL("../bin/mcp-entra.js", import.meta.url));
const VSCODE = "aebc6443-996d-45c2-90f0-388ff96faa56";

export async function run({ log }) {
  const home = await mkdtemp(join(tmpdir(), "mcp-entra-bench-home-"));
  const work = await mkdtemp(join(tmpdir(), "mcp-entra-bench-quickstart-"));
  const port = String(45000 + Math.floor(Math.random() * 1000));
  // The project's npm install gets this build of mcp-entra, as it would get the published one.
  await usePackedRegistry();
  const env = { ...process.env, MCP_ENTRA_HOME: home, MCP_ENTRA_TENANT_PORT: port, NO_COLOR: "1" };
  let server;
  const [bare] = await timeInterleaved([{ command: process.execPath, args: ["-e", "0"] }], 5);
  try {
    log("  quickstart from a fresh folder");
    const quickstart = await timeOnce(process.execPath, [cli, "quickstart", "demo"], { cwd: work, env });
    const project = join(work, "demo");
    // The next step quickstart prints, and what it no longer waits for.
    log("  npm install of the project quickstart made (the next step it prints)");
    const npmInstall = await timeOnce("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
      cwd: project,
      env,
    });
    log("  quickstart again, on the installed project (it builds itself)");
    const rerun = await timeOnce(process.execPath, [cli, "quickstart", "demo"], { cwd: work, env });
    log("  test-flow against the running server (5 runs, fresh sign-in each)");
    await timeOnce(process.execPath, [cli, "tenant", "start", "--detach", "--auto-approve"], { env });
    server = spawn(process.execPath, ["dist/main.js"], { cwd: project, stdio: "ignore", env });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // The port quickstart chose (3000 unless something else holds it).
    const url = (await readFile(join(project, ".env"), "utf8")).match(/^MCP_SERVER_URL=(\S+)$/m)[1];
    const flow = ["test-flow", url, "--auth", "headless", "--client-id", VSCODE, "--no-resource", "--fresh"];
    const [testFlow] = await timeInterleaved(
      [{ command: process.execPath, args: [cli, ...flow], options: { env } }],
      5,
    );
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
        name: "quickstart from a fresh folder (tenant, scaffold, register, run, test-flow with probes)",
        value: `${round(quickstart / 1000, 1)} s`,
        baseline: `node -e 0: ${round(bare, 0)} ms`,
        ratio: round(quickstart / bare, 0),
        goal: "≤ 10 s",
        pass: quickstart <= 10_000,
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
        baseline: `node -e 0: ${round(bare, 0)} ms`,
        ratio: round(rerun / bare, 0),
        goal: "—",
        pass: true,
      },
    ];
  } finally {
    server?.kill("SIGTERM");
    await timeOnce(process.execPath, [cli, "tenant", "stop"], { env, allowFailure: true });
    await rm(work, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  }
}
