import type { Request, Response, Router } from "express";
import { ownUrls, type TenantContext } from "../context.js";
import { userById } from "../directory/lookups.js";
import { authenticateGraphCaller } from "../graph/auth.js";
import { invalidToken } from "../graph/errors.js";
import { pairwiseSubject } from "../tokens/token-claims.js";

// https://learn.microsoft.com/en-us/entra/identity-platform/userinfo
/**
 * GET|POST /oidc/userinfo (Entra serves it on graph.microsoft.com): the signed-in user, for a
 * delegated Microsoft Graph access token. `sub` is the same pairwise subject as in the client's ID
 * token. The docs tie name/family_name/given_name/picture to the profile scope and email to the email
 * scope, but the Graph token does not say which OIDC scopes were asked: we answer every claim the user
 * has a value for, except `picture` (the dev tenant keeps no photos). Errors are Graph's, answered by
 * the app's one error answer.
 */
export function userinfoRoutes(router: Router, ctx: TenantContext): void {
  const answer = async (req: Request, res: Response) => {
    const caller = await authenticateGraphCaller(ctx, req.headers.authorization);
    const user =
      caller.kind === "user" && caller.userId ? userById(ctx.store.state, caller.userId) : undefined;
    if (!user)
      throw invalidToken("Access token validation failure. The token has no user.", ownUrls(ctx).authorize);
    const claims: Record<string, string> = {
      sub: pairwiseSubject(ctx.store.state, user.id, caller.appId),
      name: user.displayName,
    };
    if (user.surname) claims.family_name = user.surname;
    if (user.givenName) claims.given_name = user.givenName;
    if (user.mail) claims.email = user.mail;
    res.set("Cache-Control", "no-store").json(claims);
  };
  router.get("/oidc/userinfo", answer);
  router.post("/oidc/userinfo", answer);
}
