import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type OidcEndpoint, startOidcEndpoint } from "./github-oidc-endpoint.js";
import { runnersWork, runScript, stepName } from "./github-steps.js";
import {
  type Contexts,
  condition,
  grantsIdToken,
  interpolate,
  readWorkflow,
  type Workflow,
  type WorkflowJob,
} from "./github-workflow.js";
import { recordOutput } from "./output-ledger.js";

/**
 * Runs a workflow file's jobs as a GitHub-hosted runner would, on this machine: each job in a fresh
 * clone of the repository, its `run:` steps in order with bash and the environment GitHub gives
 * (GITHUB_*, RUNNER_TEMP, the workflow's `env` with its expressions evaluated, the repository's
 * variables and secrets, and the OIDC token request variables when the job may have an id token),
 * stopping at the first failure. `uses:` steps are the runner's work (the clone is actions/checkout's,
 * Node.js on PATH is setup-node's) and are skipped with that reason. Unknown actions fail the run.
 */

export interface RunnerSetup {
  /** The git repository the jobs check out (a folder with a commit). */
  source: string;
  /** OWNER/REPO and the branch ref that was pushed. */
  repository: string;
  ref?: string;
  /** The repository's variables and secrets, as set in its settings; unset ones read as empty. */
  vars?: Record<string, string>;
  secrets?: Record<string, string>;
  /** GitHub's OIDC token for a job (the dev tenant's stand-in for GitHub's issuer). */
  oidcToken(claims: { repository: string; ref: string; audience?: string }): Promise<string>;
  /** What the runner machine has besides GitHub's variables (e.g. NODE_EXTRA_CA_CERTS). */
  machineEnv?: Record<string, string>;
  /** A folder for the run's workspaces and temp folders. */
  scratch: string;
  /** Jobs to run; the others count as having passed in an earlier run. Default: all. */
  only?: string[];
}

export type Outcome = "success" | "failure" | "skipped";

export interface StepResult {
  name: string;
  outcome: Outcome;
  /** Why it was skipped. */
  note?: string;
  exitCode?: number;
  /** How long it ran. */
  seconds?: number;
  /** What the step printed (stdout and stderr, interleaved), as the job's log shows it. */
  output: string;
}

export interface JobResult {
  id: string;
  outcome: Outcome;
  note?: string;
  steps: StepResult[];
}

export async function runWorkflow(file: string, setup: RunnerSetup): Promise<JobResult[]> {
  const workflow = readWorkflow(await readFile(file, "utf8"));
  const oidc = await startOidcEndpoint((audience) =>
    setup.oidcToken({ repository: setup.repository, ref: setup.ref ?? "refs/heads/main", audience }),
  );
  const results: JobResult[] = [];
  try {
    for (const job of workflow.jobs) {
      const waiting = job.needs.filter((need) => results.find((r) => r.id === need)?.outcome !== "success");
      if (setup.only && !setup.only.includes(job.id)) {
        results.push({
          id: job.id,
          outcome: "success",
          note: "not run here: passed in an earlier run",
          steps: [],
        });
      } else if (waiting.length > 0) {
        results.push({ id: job.id, outcome: "skipped", note: `needs ${waiting.join(", ")}`, steps: [] });
      } else {
        results.push(await runJob(workflow, job, setup, oidc));
      }
    }
  } finally {
    await oidc.close();
  }
  return results;
}

async function runJob(
  workflow: Workflow,
  job: WorkflowJob,
  setup: RunnerSetup,
  oidc: OidcEndpoint,
): Promise<JobResult> {
  const root = join(setup.scratch, `${job.id}-${randomUUID().slice(0, 8)}`);
  // The workspace is actions/checkout's: a fresh clone of the commit.
  const [workspace, temp, home] = ["workspace", "temp", "home"].map((name) => join(root, name)) as [
    string,
    string,
    string,
  ];
  await Promise.all([temp, home].map((folder) => mkdir(folder, { recursive: true })));
  const sha = (await git(["rev-parse", "HEAD"], setup.source)).trim();
  const { github, env } = runnerEnvironment(workflow, job, setup, oidc, { sha, workspace, temp, home });
  const contexts: Contexts = {
    github,
    runner: { os: "Linux", temp },
    vars: setup.vars ?? {},
    secrets: setup.secrets ?? {},
    env,
  };
  if (!condition(job.if, contexts, false)) {
    return { id: job.id, outcome: "skipped", note: `its if: is false (${job.if})`, steps: [] };
  }
  await git(["clone", "--quiet", setup.source, workspace], root);
  for (const scope of [workflow.env, job.env]) {
    for (const [name, value] of Object.entries(scope ?? {})) env[name] = interpolate(value, contexts);
  }
  const steps: StepResult[] = [];
  let failed = false;
  for (const step of job.steps) {
    const name = stepName(step);
    if (!condition(step.if, contexts, failed)) {
      steps.push({
        name,
        outcome: "skipped",
        note: failed ? "an earlier step failed" : "its if: is false",
        output: "",
      });
      continue;
    }
    if (step.uses) {
      steps.push({ name, outcome: "skipped", note: runnersWork(step), output: "" });
      continue;
    }
    const stepEnv = { ...env };
    for (const [key, value] of Object.entries(step.env ?? {}))
      stepEnv[key] = interpolate(value, { ...contexts, env });
    const cwd = step["working-directory"] ? join(workspace, step["working-directory"]) : workspace;
    const started = performance.now();
    const result = await runScript(interpolate(step.run, contexts), step.shell, { cwd, env: stepEnv, temp });
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    recordOutput(`workflow ${job.id}: ${name}`, result.output);
    failed ||= result.exitCode !== 0;
    steps.push({ name, outcome: result.exitCode === 0 ? "success" : "failure", seconds, ...result });
  }
  return { id: job.id, outcome: failed ? "failure" : "success", steps };
}

/** The `github` context and the environment a GitHub-hosted runner gives a job's steps. */
function runnerEnvironment(
  workflow: Workflow,
  job: WorkflowJob,
  setup: RunnerSetup,
  oidc: OidcEndpoint,
  folders: { sha: string; workspace: string; temp: string; home: string },
): { github: Record<string, string>; env: Record<string, string> } {
  const ref = setup.ref ?? "refs/heads/main";
  const github = {
    repository: setup.repository,
    repository_owner: setup.repository.split("/")[0]!,
    ref,
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ""),
    sha: folders.sha,
    event_name: "push",
    workspace: folders.workspace,
    job: job.id,
    run_id: String(Date.now()),
    workflow: workflow.name ?? "",
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: folders.home,
    LANG: "C.UTF-8",
    CI: "true",
    GITHUB_ACTIONS: "true",
    ...Object.fromEntries(
      Object.entries(github).map(([key, value]) => [`GITHUB_${key.toUpperCase()}`, value]),
    ),
    RUNNER_OS: "Linux",
    RUNNER_TEMP: folders.temp,
    // setup-node's `cache: npm` restores the npm cache; the registry is the one mcp-entra is on.
    npm_config_cache: process.env.npm_config_cache ?? join(homedir(), ".npm"),
    ...definedOnly({
      npm_config_registry: process.env.npm_config_registry,
      MCP_ENTRA_SECRET_LEDGER: process.env.MCP_ENTRA_SECRET_LEDGER,
    }),
    ...setup.machineEnv,
    ...(grantsIdToken(workflow, job) ? oidc.variables : {}),
  };
  return { github, env };
}

function definedOnly(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => !!entry[1]));
}

async function git(args: string[], cwd: string): Promise<string> {
  return (await promisify(execFile)("git", args, { cwd })).stdout;
}
