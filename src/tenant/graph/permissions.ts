import type { TenantState } from "../directory/tenant-state.js";
import { callerObjectId, type GraphCaller, holds } from "./auth.js";
import { insufficientPrivileges } from "./errors.js";

/**
 * Which Graph permissions allow which app-registration operations. Delegated calls are limited by
 * the user too, as in Entra: a user without an administrator role manages only the apps they own.
 */
export type Reach = "all" | "owned" | "none";

const DIRECTORY_READ = ["Directory.Read.All", "Directory.ReadWrite.All"];

export function applicationReadReach(caller: GraphCaller): Reach {
  const all = ["Application.Read.All", "Application.ReadWrite.All", ...DIRECTORY_READ];
  if (caller.kind === "user") return holds(caller, ...all, "Directory.AccessAsUser.All") ? "all" : "none";
  if (holds(caller, ...all)) return "all";
  return holds(caller, "Application.ReadWrite.OwnedBy") ? "owned" : "none";
}

export function applicationWriteReach(caller: GraphCaller): Reach {
  if (caller.kind === "user") {
    if (!holds(caller, "Application.ReadWrite.All", "Directory.AccessAsUser.All")) return "none";
    return caller.isAdmin ? "all" : "owned";
  }
  if (holds(caller, "Application.ReadWrite.All", "Directory.ReadWrite.All")) return "all";
  return holds(caller, "Application.ReadWrite.OwnedBy") ? "owned" : "none";
}

export function isOwner(state: TenantState, objectId: string, caller: GraphCaller): boolean {
  const id = callerObjectId(caller);
  return id !== undefined && (state.owners[objectId] ?? []).includes(id);
}

/** 403 unless the caller may read (`write` false) or change the directory object with this id. */
export function requireApplicationAccess(
  state: TenantState,
  caller: GraphCaller,
  objectId: string,
  write: boolean,
): void {
  const reach = write ? applicationWriteReach(caller) : applicationReadReach(caller);
  if (reach === "all") return;
  if (reach === "owned" && isOwner(state, objectId, caller)) return;
  throw insufficientPrivileges();
}

export function requireReach(reach: Reach): void {
  if (reach === "none") throw insufficientPrivileges();
}

export function requireGrantWrite(caller: GraphCaller): void {
  const ok =
    caller.kind === "user"
      ? caller.isAdmin &&
        holds(caller, "DelegatedPermissionGrant.ReadWrite.All", "Directory.AccessAsUser.All")
      : holds(caller, "DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All");
  if (!ok) throw insufficientPrivileges();
}

export function requireGrantRead(caller: GraphCaller): void {
  const ok = holds(
    caller,
    "DelegatedPermissionGrant.ReadWrite.All",
    ...DIRECTORY_READ,
    ...(caller.kind === "user" ? ["Directory.AccessAsUser.All"] : []),
  );
  if (!ok) throw insufficientPrivileges();
}

export function requireAssignmentWrite(caller: GraphCaller): void {
  const ok =
    caller.kind === "user"
      ? caller.isAdmin && holds(caller, "AppRoleAssignment.ReadWrite.All", "Directory.AccessAsUser.All")
      : holds(caller, "AppRoleAssignment.ReadWrite.All", "Directory.ReadWrite.All");
  if (!ok) throw insufficientPrivileges();
}

export function requireAssignmentRead(caller: GraphCaller): void {
  const ok = holds(caller, "AppRoleAssignment.ReadWrite.All") || applicationReadReach(caller) === "all";
  if (!ok) throw insufficientPrivileges();
}

/** Reading users other than oneself. */
export function requireUserRead(caller: GraphCaller, targetUserId: string | undefined): void {
  if (caller.kind === "user" && targetUserId !== undefined && caller.userId === targetUserId) {
    if (holds(caller, "User.Read", "User.ReadWrite", "User.Read.All", ...DIRECTORY_READ)) return;
  }
  if (holds(caller, "User.Read.All", "User.ReadWrite.All", ...DIRECTORY_READ)) return;
  if (caller.kind === "user" && holds(caller, "User.ReadBasic.All", "Directory.AccessAsUser.All")) return;
  throw insufficientPrivileges();
}

export function requireOrganizationRead(caller: GraphCaller): void {
  const delegated = ["User.Read", "User.Read.All", "Directory.AccessAsUser.All"];
  const ok = holds(
    caller,
    "Organization.Read.All",
    ...DIRECTORY_READ,
    ...(caller.kind === "user" ? delegated : []),
  );
  if (!ok) throw insufficientPrivileges();
}
