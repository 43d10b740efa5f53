import type { Router } from "express";
import { managedIdentityHostEnvironment } from "../../clients/managed-identity-token.js";
import type { TenantContext } from "../../context.js";
import {
  addManagedIdentity,
  MANAGED_IDENTITY_NAME_PATTERN,
  managedIdentities,
  summarizeIdentity,
} from "../../directory/managed-identities.js";

/**
 * /_admin/managed-identities: list and add user-assigned managed identities;
 * /_admin/managed-identity-host: the IDENTITY_ENDPOINT and IDENTITY_HEADER a process on an "Azure
 * host" of this tenant gets.
 */
export function managedIdentityAdminRoutes(router: Router, ctx: TenantContext, adminToken: string): void {
  router.get("/managed-identities", (_req, res) => {
    res.json({ identities: managedIdentities(ctx.store.state).map(summarizeIdentity) });
  });

  router.post("/managed-identities", async (req, res) => {
    const name = (req.body as { name?: unknown } | undefined)?.name;
    if (typeof name !== "string" || !MANAGED_IDENTITY_NAME_PATTERN.test(name)) {
      res.status(400).json({
        error: "invalid_name",
        message:
          "name must be 2 to 128 letters, digits, '-' or '_', starting with a letter or digit (Azure's rule for identity names)",
      });
      return;
    }
    const now = ctx.clock.iso();
    const identity = await ctx.store.commit((state) => addManagedIdentity(state, name, now));
    if (!identity) {
      res.status(409).json({
        error: "identity_exists",
        message: `A managed identity named ${name} already exists.`,
        suggestion: "Choose another name, or list them with `mcp-entra tenant identities`.",
      });
      return;
    }
    res.status(201).json({ identity: summarizeIdentity(identity) });
  });

  router.get("/managed-identity-host", (_req, res) => {
    res.set("Cache-Control", "no-store").json(managedIdentityHostEnvironment(ctx.origin, adminToken));
  });
}
