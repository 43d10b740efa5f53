import type { Router } from "express";
import type { JWTPayload } from "jose";
import { z } from "zod";
import type { TenantContext } from "../../context.js";
import { AadstsError } from "../../errors/protocol-error.js";
import { mintToken } from "../../tokens/mint.js";

const mintInput = z
  .object({
    clientId: z.string().trim().min(1, "is required"),
    scope: z.string().trim().min(1, "is required"),
    user: z.string().trim().min(1).optional(),
    claims: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/**
 * POST /_admin/tokens `{clientId, scope, user?, claims?}`: a token minted without HTTP sign-in or
 * consent (mintToken), for tests and test-flow's probes — an expired one, one for another audience, one
 * without the tool's scope. `claims` replace the computed claims; a `null` value removes one.
 * Answers like the token endpoint (`access_token`, `expires_in`, …).
 */
export function tokenRoutes(router: Router, ctx: TenantContext): void {
  router.post("/tokens", async (req, res) => {
    const parsed = mintInput.safeParse(req.body ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (issue) => `${issue.path.join(".") || "body"}: ${issue.message}`,
      );
      res.status(400).json({ error: "invalid_request", message: problems.join("; ") });
      return;
    }
    try {
      const { claims, ...input } = parsed.data;
      const minted = await mintToken(ctx, { ...input, claims: claims as JWTPayload | undefined });
      res.set("Cache-Control", "no-store").json(minted);
    } catch (error) {
      const message = error instanceof AadstsError ? error.description : (error as Error).message;
      res.status(400).json({ error: "invalid_token_request", message });
    }
  });
}
