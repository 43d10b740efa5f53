import type { TenantState } from "../directory/tenant-state.js";
import { AadstsError } from "../errors/protocol-error.js";

/** The `{tenant}` in an endpoint path, as Entra reads it. */
export type TenantSegment =
  | { kind: "tenant"; segment: string }
  | { kind: "multi"; segment: "common" | "organizations" };

/** Accepts the tenant id or its domain (any case), `common` and `organizations`; else AADSTS90002. */
export function resolveTenantSegment(state: TenantState, raw: string): TenantSegment {
  const segment = raw.toLowerCase();
  if (segment === state.tenant.id || segment === state.tenant.domain) return { kind: "tenant", segment };
  if (segment === "common" || segment === "organizations") return { kind: "multi", segment };
  throw new AadstsError(90002, { tenant: raw });
}
