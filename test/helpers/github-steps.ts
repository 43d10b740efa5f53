import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { WorkflowStep } from "./github-workflow.js";

/** The steps of a job as github-runner.ts runs them: names, the runner's own actions, `run:` scripts. */

/** GitHub's display name: the step's name, else `Run <first line>` or `Run <action>`. */
export function stepName(step: WorkflowStep): string {
  return step.name ?? `Run ${step.uses ?? String(step.run).split("\n")[0]}`;
}

/** Why a `uses:` step needs no doing here; an action this runner does not know fails the run. */
export function runnersWork(step: WorkflowStep): string {
  const action = step.uses!.split("@")[0];
  if (action === "actions/checkout") return "the runner's: the workspace is a fresh clone of the commit";
  if (action === "actions/setup-node") {
    const asked = String(step.with?.["node-version"] ?? "");
    const major = process.versions.node.split(".")[0];
    if (asked && asked.split(".")[0] !== major) {
      throw new Error(`setup-node asks for Node.js ${asked}; this runner has ${process.version}`);
    }
    return `the runner's: Node.js ${process.version} is on PATH (node-version ${asked || "any"})`;
  }
  throw new Error(`This runner cannot run ${step.uses}: teach test/helpers/github-steps.ts what it does`);
}

/** A `run:` script, with GitHub's shells for Linux: `bash -e` by default, or `shell: bash`. */
export async function runScript(
  script: string,
  shell: string | undefined,
  options: { cwd: string; env: Record<string, string>; temp: string },
): Promise<{ exitCode: number; output: string }> {
  const shells: Record<string, string[]> = {
    default: ["-e"],
    bash: ["--noprofile", "--norc", "-eo", "pipefail"],
  };
  const flags = shells[shell ?? "default"];
  if (!flags) throw new Error(`This runner has no shell "${shell}"`);
  const file = join(options.temp, `${randomUUID()}.sh`);
  await writeFile(file, script);
  return new Promise((resolve) => {
    const child = spawn("bash", [...flags, file], { cwd: options.cwd, env: options.env, timeout: 600_000 });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.once("close", (code) =>
      resolve({ exitCode: code ?? 1, output: Buffer.concat(chunks).toString("utf8") }),
    );
  });
}
