import type {
  AppRole,
  PermissionScope,
  PreAuthorizedApplication,
  RequiredResourceAccess,
} from "../directory/tenant-state.js";
import { badRequest, invalidValue } from "./errors.js";

/** Typed readers for the parts of an application body: values, scopes, roles and the like. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export type Json = Record<string, unknown>;

export function unknownProperty(name: string): Error {
  return badRequest(`Property '${name}' does not exist as a declared property or extension property.`);
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function str(
  value: unknown,
  property: string,
  options: { nullable?: boolean; max?: number } = {},
): string | null {
  if (value === null && options.nullable) return null;
  if (typeof value !== "string" || (options.max !== undefined && value.length > options.max)) {
    throw invalidValue(property, "Application");
  }
  return value;
}

export function bool(value: unknown, property: string, nullable = false): boolean | null {
  if (value === null && nullable) return null;
  if (typeof value !== "boolean") throw invalidValue(property, "Application");
  return value;
}

export function strings(value: unknown, property: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string"))
    throw invalidValue(property, "Application");
  return value as string[];
}

export function guid(value: unknown, property: string, resource = "Application"): string {
  if (typeof value !== "string" || !GUID.test(value)) throw invalidValue(property, resource);
  return value.toLowerCase();
}

export function objects(value: unknown, property: string): Json[] {
  if (!Array.isArray(value) || value.some((item) => !isObject(item)))
    throw invalidValue(property, "Application");
  return value as Json[];
}

export function onlyKeys(object: Json, allowed: string[]): void {
  for (const key of Object.keys(object)) {
    if (key.includes("@odata.")) continue;
    if (!allowed.includes(key)) throw unknownProperty(key);
  }
}

export function readScope(input: Json): PermissionScope {
  onlyKeys(input, [
    "id",
    "value",
    "type",
    "isEnabled",
    "adminConsentDisplayName",
    "adminConsentDescription",
    "userConsentDisplayName",
    "userConsentDescription",
    "origin",
  ]);
  const resource = "PermissionScope";
  const text = (key: string, nullable: boolean) => {
    const value = input[key] ?? (nullable ? null : "");
    if (value !== null && typeof value !== "string") throw invalidValue(key, resource);
    return value as string;
  };
  if (input.type !== "User" && input.type !== "Admin") throw invalidValue("type", resource);
  if (input.isEnabled !== undefined && typeof input.isEnabled !== "boolean")
    throw invalidValue("isEnabled", resource);
  if (typeof input.value !== "string") throw invalidValue("value", resource);
  return {
    id: guid(input.id, "id", resource),
    value: input.value,
    type: input.type,
    isEnabled: input.isEnabled ?? true,
    adminConsentDisplayName: text("adminConsentDisplayName", false),
    adminConsentDescription: text("adminConsentDescription", false),
    userConsentDisplayName: text("userConsentDisplayName", true),
    userConsentDescription: text("userConsentDescription", true),
  };
}

export function readRole(input: Json): AppRole {
  onlyKeys(input, ["id", "value", "displayName", "description", "allowedMemberTypes", "isEnabled", "origin"]);
  const resource = "AppRole";
  const members = input.allowedMemberTypes;
  if (
    !Array.isArray(members) ||
    members.length === 0 ||
    members.some((member) => member !== "User" && member !== "Application")
  ) {
    throw invalidValue("allowedMemberTypes", resource);
  }
  if (input.value !== undefined && input.value !== null && typeof input.value !== "string") {
    throw invalidValue("value", resource);
  }
  for (const key of ["displayName", "description"]) {
    if (typeof input[key] !== "string") throw invalidValue(key, resource);
  }
  if (input.isEnabled !== undefined && typeof input.isEnabled !== "boolean")
    throw invalidValue("isEnabled", resource);
  return {
    id: guid(input.id, "id", resource),
    value: (input.value as string | null | undefined) ?? null,
    displayName: input.displayName as string,
    description: input.description as string,
    allowedMemberTypes: [...new Set(members as AppRole["allowedMemberTypes"])],
    isEnabled: input.isEnabled ?? true,
  };
}

export function readPreAuthorized(input: Json): PreAuthorizedApplication {
  onlyKeys(input, ["appId", "delegatedPermissionIds"]);
  const resource = "PreAuthorizedApplication";
  const ids = input.delegatedPermissionIds;
  if (!Array.isArray(ids)) throw invalidValue("delegatedPermissionIds", resource);
  return {
    appId: guid(input.appId, "appId", resource),
    delegatedPermissionIds: ids.map((id) => guid(id, "delegatedPermissionIds", resource)),
  };
}

export function readRequiredAccess(input: Json): RequiredResourceAccess {
  onlyKeys(input, ["resourceAppId", "resourceAccess"]);
  const resource = "RequiredResourceAccess";
  return {
    resourceAppId: guid(input.resourceAppId, "resourceAppId", resource),
    resourceAccess: objects(input.resourceAccess, "resourceAccess").map((access) => {
      onlyKeys(access, ["id", "type"]);
      if (access.type !== "Scope" && access.type !== "Role") throw invalidValue("type", "ResourceAccess");
      return { id: guid(access.id, "id", "ResourceAccess"), type: access.type };
    }),
  };
}
