import type { Router } from "express";
import { githubActionsToken, githubActionsTokenInput } from "../../clients/github-actions-token.js";
import type { TenantContext } from "../../context.js";

/**
 * POST /_admin/github-actions-token: a GitHub-Actions-shaped OIDC token signed by the dev tenant, which
 * stands in for GitHub's issuer offline. Answers `{ value }`, as GitHub's token request URL does.
 */
export function githubActionsTokenRoutes(router: Router, ctx: TenantContext): void {
  router.post("/github-actions-token", async (req, res) => {
    const parsed = githubActionsTokenInput.safeParse(req.body ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (issue) => `${issue.path.join(".") || "body"}: ${issue.message}`,
      );
      res.status(400).json({ error: "invalid_request", message: problems.join("; ") });
      return;
    }
    res.set("Cache-Control", "no-store").json({ value: await githubActionsToken(ctx, parsed.data) });
  });
}
