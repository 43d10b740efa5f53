import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { JWTPayload } from "jose";
import { z } from "zod";
import { FEDERATED_TOKEN_AUDIENCE, GITHUB_ACTIONS_ISSUER } from "../../entra/well-known.js";
import type { TenantContext } from "../context.js";

/** GitHub's OIDC tokens live for five minutes. */
const LIFETIME_SECONDS = 300;

export const githubActionsTokenInput = z.object({
  /** "OWNER/REPO". */
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be OWNER/REPO"),
  /** Defaults to refs/heads/main (refs/pull/1/merge for pull_request events). */
  ref: z.string().min(1).optional(),
  /** The deployment environment of the job; it becomes the subject, as on GitHub. */
  environment: z.string().min(1).optional(),
  /** Defaults to push; `pull_request` gives the subject `repo:OWNER/REPO:pull_request`. */
  eventName: z.string().min(1).optional(),
  /** Defaults to api://AzureADTokenExchange, what Entra's federated credentials expect. */
  audience: z.string().min(1).optional(),
  sha: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
  workflow: z.string().min(1).optional(),
  /** Path of the workflow file in the repository. */
  workflowPath: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  runId: z.string().regex(/^\d+$/).optional(),
});

export type GitHubActionsTokenInput = z.input<typeof githubActionsTokenInput> & {
  /** Claims that replace the computed ones (an odd subject, an expired `exp`). */
  claims?: JWTPayload;
};

/** The subject GitHub puts in a job's token, which federated credentials match exactly. */
export function githubActionsSubject(
  input: Pick<GitHubActionsTokenInput, "repository" | "ref" | "environment" | "eventName">,
): string {
  const repo = `repo:${input.repository}`;
  if (input.environment) return `${repo}:environment:${input.environment}`;
  if (input.eventName === "pull_request") return `${repo}:pull_request`;
  return `${repo}:ref:${defaultRef(input)}`;
}

function defaultRef(input: Pick<GitHubActionsTokenInput, "ref" | "eventName">): string {
  return input.ref ?? (input.eventName === "pull_request" ? "refs/pull/1/merge" : "refs/heads/main");
}

/** A stable numeric id for a name, like GitHub's repository and owner ids. */
function numericId(name: string): string {
  return String(createHash("sha256").update(name).digest().readUInt32BE(0));
}

/**
 * A token shaped like the one a GitHub Actions job gets from its OIDC provider, with GitHub's issuer,
 * signed by the dev tenant's keys. GitHub cannot be reached offline, so the dev tenant stands in for
 * its issuer: federated credentials for `https://token.actions.githubusercontent.com` verify these.
 */
export async function githubActionsToken(ctx: TenantContext, raw: GitHubActionsTokenInput): Promise<string> {
  const input = githubActionsTokenInput.parse(raw);
  const now = ctx.clock.nowSeconds();
  const ref = defaultRef(input);
  const [owner] = input.repository.split("/") as [string, string];
  const workflowPath = input.workflowPath ?? ".github/workflows/ci.yml";
  const eventName = input.eventName ?? "push";
  const sha = input.sha ?? randomBytes(20).toString("hex");
  const actor = input.actor ?? owner;
  const claims: JWTPayload = {
    jti: randomUUID(),
    sub: githubActionsSubject(input),
    aud: input.audience ?? FEDERATED_TOKEN_AUDIENCE,
    ref,
    sha,
    repository: input.repository,
    repository_owner: owner,
    repository_id: numericId(input.repository),
    repository_owner_id: numericId(owner),
    repository_visibility: "private",
    run_id: input.runId ?? String(now),
    run_number: "1",
    run_attempt: "1",
    actor,
    actor_id: numericId(actor),
    workflow: input.workflow ?? "CI",
    workflow_ref: `${input.repository}/${workflowPath}@${ref}`,
    workflow_sha: sha,
    job_workflow_ref: `${input.repository}/${workflowPath}@${ref}`,
    job_workflow_sha: sha,
    event_name: eventName,
    ref_type: ref.startsWith("refs/tags/") ? "tag" : "branch",
    runner_environment: "github-hosted",
    ...(input.environment ? { environment: input.environment } : {}),
    iss: GITHUB_ACTIONS_ISSUER,
    iat: now,
    nbf: now,
    exp: now + LIFETIME_SECONDS,
    ...raw.claims,
  };
  return ctx.keys.sign(claims);
}
