import type { Router } from "express";
import type { TenantContext } from "../../context.js";
import { userByIdOrUpn } from "../../directory/lookups.js";
import {
  addTestUser,
  type NewTestUser,
  removeTestUser,
  summarizeUser,
  testUserPasswordHash,
  USER_ALIAS_PATTERN,
} from "../../directory/users.js";

/** /_admin/users: list, add and remove test users. */
export function userRoutes(router: Router, ctx: TenantContext): void {
  router.get("/users", (_req, res) => {
    const state = ctx.store.state;
    res.json({ users: state.users.map((user) => summarizeUser(state, user)) });
  });

  router.post("/users", async (req, res) => {
    const input = (req.body ?? {}) as NewTestUser;
    const problem = invalidUser(input);
    if (problem) {
      res.status(400).json({ error: "invalid_user", message: problem });
      return;
    }
    const hash = await testUserPasswordHash(input);
    const user = await ctx.store.commit((state) => addTestUser(state, input, hash));
    if (!user) {
      res.status(409).json({
        error: "user_exists",
        message: `A user ${input.alias}@${ctx.store.state.tenant.domain} already exists.`,
        suggestion: "Choose another alias, or remove that user first.",
      });
      return;
    }
    res.status(201).json({ user: summarizeUser(ctx.store.state, user) });
  });

  router.delete("/users/:user", async (req, res) => {
    const user = userByIdOrUpn(ctx.store.state, req.params.user);
    if (!user) {
      res.status(404).json({
        error: "unknown_user",
        message: `No user ${req.params.user} in the dev tenant.`,
        suggestion: "List the users with `mcp-entra tenant users`.",
      });
      return;
    }
    await ctx.store.commit((state) => removeTestUser(state, user));
    res.json({ removed: summarizeUser(ctx.store.state, user) });
  });
}

function invalidUser(input: NewTestUser): string | undefined {
  if (typeof input.alias !== "string" || !USER_ALIAS_PATTERN.test(input.alias)) {
    return "alias must be letters, digits, '.', '_' or '-' (at most 64), starting and ending with a letter or digit";
  }
  if (
    input.displayName !== undefined &&
    (typeof input.displayName !== "string" || !input.displayName.trim())
  ) {
    return "displayName must be a non-empty string";
  }
  if (input.password !== undefined && (typeof input.password !== "string" || input.password.length < 1)) {
    return "password must be a non-empty string";
  }
  if (input.admin !== undefined && typeof input.admin !== "boolean") return "admin must be true or false";
  return undefined;
}
