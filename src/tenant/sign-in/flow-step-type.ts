import type { ClientApp } from "../directory/lookups.js";
import type { PermissionScope, User } from "../directory/tenant-state.js";
import type { AadstsError } from "../errors/protocol-error.js";

/** Where a sign-in transaction stands: the page to show next, or how it ends. */
export type FlowStep =
  | { kind: "sign-in" }
  | { kind: "consent"; client: ClientApp; user: User; shown: PermissionScope[] }
  | { kind: "admin-approval"; client: ClientApp; permissions: PermissionScope[]; error: AadstsError }
  | { kind: "done"; client: ClientApp; user: User; scopes: string[] }
  | { kind: "failed"; error: AadstsError };
