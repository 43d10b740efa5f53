import { data, Evaluator, Lexer, Parser } from "@actions/expressions";
import type { FunctionDefinition } from "@actions/expressions/funcs/info";
import { truthy } from "@actions/expressions/result";
import { parse } from "yaml";

/**
 * A GitHub Actions workflow file as the runner reads it: parsed with a YAML library, its `${{ }}`
 * expressions and `if:` conditions evaluated with GitHub's own expression library
 * (@actions/expressions), its jobs ordered by `needs`. What test/helpers/github-runner.ts runs.
 */

export interface WorkflowStep {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string | boolean;
  shell?: string;
  "working-directory"?: string;
}

export interface WorkflowJob {
  id: string;
  needs: string[];
  if?: string | boolean;
  permissions?: Permissions;
  env?: Record<string, unknown>;
  steps: WorkflowStep[];
}

type Permissions = "read-all" | "write-all" | Record<string, string>;

export interface Workflow {
  name?: string;
  env?: Record<string, unknown>;
  permissions?: Permissions;
  /** Jobs in an order that runs every job after the jobs it needs. */
  jobs: WorkflowJob[];
}

/** The contexts expressions read: `github`, `env`, `vars`, `secrets`, `runner`, … as plain values. */
export type Contexts = Record<string, Record<string, unknown>>;

export function readWorkflow(text: string): Workflow {
  const raw = parse(text) as {
    name?: string;
    env?: Record<string, unknown>;
    permissions?: Permissions;
    jobs: Record<string, Omit<WorkflowJob, "id" | "needs"> & { needs?: string | string[] }>;
  };
  const jobs = Object.entries(raw.jobs).map(([id, job]) => ({
    ...job,
    id,
    needs: [job.needs ?? []].flat(),
  }));
  const ordered: WorkflowJob[] = [];
  while (ordered.length < jobs.length) {
    const ready = jobs.find(
      (job) => !ordered.includes(job) && job.needs.every((need) => ordered.some((done) => done.id === need)),
    );
    if (!ready) throw new Error("The workflow's jobs need each other in a cycle, or need a job it lacks");
    ordered.push(ready);
  }
  return { name: raw.name, env: raw.env, permissions: raw.permissions, jobs: ordered };
}

/** The names a workflow reads from a context, e.g. the repository variables (`vars.NAME`). */
export function referencedNames(text: string, context: "vars" | "secrets"): string[] {
  return [
    ...new Set([...text.matchAll(new RegExp(`\\b${context}\\.([A-Za-z_][\\w]*)`, "g"))].map((m) => m[1]!)),
  ];
}

/** Whether a job's token may be exchanged for an OIDC token (`permissions: id-token: write`). */
export function grantsIdToken(workflow: Workflow, job: WorkflowJob): boolean {
  const permissions = job.permissions ?? workflow.permissions;
  if (permissions === undefined) return false; // the default token has no id-token permission
  if (typeof permissions === "string") return permissions === "write-all";
  return permissions["id-token"] === "write";
}

/** The status functions of step and job conditions; `failed` says whether an earlier step failed. */
function statusFunctions(failed: boolean): Map<string, FunctionDefinition> {
  const fn = (name: string, value: boolean): [string, FunctionDefinition] => [
    name,
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value) },
  ];
  return new Map([fn("success", !failed), fn("failure", failed), fn("always", true), fn("cancelled", false)]);
}

function evaluate(expression: string, contexts: Contexts, failed = false): data.ExpressionData {
  const functions = statusFunctions(failed);
  const { tokens } = new Lexer(expression).lex();
  const tree = new Parser(tokens, Object.keys(contexts), [...functions.values()]).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return new Evaluator(tree, context, functions).evaluate();
}

/** A value with its `${{ … }}` expressions replaced, as the runner does before a step runs. */
export function interpolate(value: unknown, contexts: Contexts): string {
  return String(value).replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    evaluate(expression.trim(), contexts).coerceString(),
  );
}

/**
 * An `if:` (bare or in `${{ }}`). As on GitHub, one without a status function (`success()`,
 * `failure()`, `always()`, `cancelled()`) also needs every earlier step to have passed.
 */
export function condition(value: string | boolean | undefined, contexts: Contexts, failed: boolean): boolean {
  if (typeof value === "boolean") return value && !failed;
  const expression = (value ?? "success()").trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  const withStatus = /\b(success|failure|always|cancelled)\s*\(/.test(expression)
    ? expression
    : `success() && (${expression})`;
  return truthy(evaluate(withStatus, contexts, failed));
}
