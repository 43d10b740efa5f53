// Start-up of the CLI: `mcp-entra --help` and `mcp-entra tenant status` next to bare node and to
// the CLI for Microsoft 365 (`m365 --help`), a Node CLI of the same kind, measured interleaved.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { timeInterleaved } from "./lib/spawn-timing.mjs";
import { round } from "./lib/stats.mjs";

const cli = fileURLToPath(new URL("../bin/mcp-entra.js", import.meta.url));
const m365 = fileURLToPath(new URL("./node_modules/@pnp/cli-microsoft365/dist/index.js", import.meta.url));

export async function run({ log }) {
  const home = await mkdtemp(join(tmpdir(), "mcp-entra-bench-home-"));
  const env = { ...process.env, MCP_ENTRA_HOME: home, NO_COLOR: "1" };
  log("  timing 15 interleaved runs of each command");
  const [bare, help, status, other] = await timeInterleaved([
    { command: process.execPath, args: ["-e", "0"] },
    { command: process.execPath, args: [cli, "--help"], options: { env } },
    // No tenant runs in this home: status answers at once (exit 1), which is what start-up measures.
    { command: process.execPath, args: [cli, "tenant", "status"], options: { env, allowFailure: true } },
    { command: process.execPath, args: [m365, "--help"], options: { env } },
  ]);
  const rows = [];
  for (const [name, ms] of [
    ["mcp-entra --help", help],
    ["mcp-entra tenant status", status],
  ]) {
    rows.push({
      name: `Start-up: ${name} vs node -e 0`,
      value: `${round(ms, 0)} ms`,
      baseline: `${round(bare, 0)} ms`,
      ratio: round(ms / bare),
      goal: "≤ 3.00",
      pass: ms / bare <= 3,
    });
    rows.push({
      name: `Start-up: ${name} vs m365 --help`,
      value: `${round(ms, 0)} ms`,
      baseline: `${round(other, 0)} ms`,
      ratio: round(ms / other),
      goal: "≤ 0.30",
      pass: ms / other <= 0.3,
    });
  }
  return rows;
}
