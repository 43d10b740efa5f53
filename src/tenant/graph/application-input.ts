import type { Application } from "../directory/tenant-state.js";
import {
  bool,
  guid,
  isObject,
  type Json,
  objects,
  onlyKeys,
  readPreAuthorized,
  readRequiredAccess,
  readRole,
  readScope,
  str,
  strings,
  unknownProperty,
} from "./application-parts.js";
import { badRequest, invalidValue } from "./errors.js";
import { readKeyCredentials } from "./key-credentials.js";

/**
 * Reads a POST or PATCH body into an application, as Graph does: complex properties (`api`, `web`,
 * `spa`, `publicClient`, `info`) merge into what is there, collections replace it whole, read-only
 * properties may only repeat their current value, and unknown properties are refused.
 */

const READ_ONLY = ["id", "appId", "createdDateTime", "deletedDateTime", "publisherDomain"];
const AUDIENCES = [
  "AzureADMyOrg",
  "AzureADMultipleOrgs",
  "AzureADandPersonalMicrosoftAccount",
  "PersonalMicrosoftAccount",
];

function mergeApi(app: Application, input: unknown): void {
  if (!isObject(input)) throw invalidValue("api", "Application");
  onlyKeys(input, [
    "requestedAccessTokenVersion",
    "acceptMappedClaims",
    "knownClientApplications",
    "oauth2PermissionScopes",
    "preAuthorizedApplications",
  ]);
  const api = app.api;
  if ("requestedAccessTokenVersion" in input) {
    const version = input.requestedAccessTokenVersion;
    if (version !== null && version !== 1 && version !== 2)
      throw invalidValue("requestedAccessTokenVersion", "ApiApplication");
    api.requestedAccessTokenVersion = version;
  }
  if ("acceptMappedClaims" in input)
    api.acceptMappedClaims = bool(input.acceptMappedClaims, "acceptMappedClaims", true);
  if ("knownClientApplications" in input) {
    api.knownClientApplications = strings(input.knownClientApplications, "knownClientApplications").map(
      (id) => guid(id, "knownClientApplications"),
    );
  }
  if ("oauth2PermissionScopes" in input) {
    api.oauth2PermissionScopes = objects(input.oauth2PermissionScopes, "oauth2PermissionScopes").map(
      readScope,
    );
  }
  if ("preAuthorizedApplications" in input) {
    api.preAuthorizedApplications = objects(input.preAuthorizedApplications, "preAuthorizedApplications").map(
      readPreAuthorized,
    );
  }
}

function mergeRedirects(target: { redirectUris: string[] }, input: Json, property: string): void {
  if ("redirectUris" in input) target.redirectUris = strings(input.redirectUris, property);
}

function mergeWeb(app: Application, input: unknown): void {
  if (!isObject(input)) throw invalidValue("web", "Application");
  onlyKeys(input, [
    "redirectUris",
    "homePageUrl",
    "logoutUrl",
    "implicitGrantSettings",
    "redirectUriSettings",
  ]);
  mergeRedirects(app.web, input, "web");
  if ("homePageUrl" in input) app.web.homePageUrl = str(input.homePageUrl, "homePageUrl", { nullable: true });
  if ("logoutUrl" in input) app.web.logoutUrl = str(input.logoutUrl, "logoutUrl", { nullable: true });
  const implicit = input.implicitGrantSettings;
  if (implicit !== undefined && implicit !== null) {
    if (!isObject(implicit)) throw invalidValue("implicitGrantSettings", "Application");
    onlyKeys(implicit, ["enableAccessTokenIssuance", "enableIdTokenIssuance"]);
    for (const key of ["enableAccessTokenIssuance", "enableIdTokenIssuance"] as const) {
      if (key in implicit) app.web.implicitGrantSettings[key] = bool(implicit[key], key) as boolean;
    }
  }
}

function mergePlatform(target: { redirectUris: string[] }, input: unknown, property: string): void {
  if (!isObject(input)) throw invalidValue(property, "Application");
  onlyKeys(input, ["redirectUris"]);
  mergeRedirects(target, input, property);
}

function mergeInfo(app: Application, input: unknown): void {
  if (!isObject(input)) throw invalidValue("info", "Application");
  const keys = ["logoUrl", "marketingUrl", "privacyStatementUrl", "supportUrl", "termsOfServiceUrl"];
  onlyKeys(input, keys);
  for (const key of keys) if (key in input) app.info[key] = str(input[key], key, { nullable: true });
}

export interface ApplicationBody {
  /** `owners@odata.bind` references (create only). */
  ownerReferences: string[];
}

/**
 * Applies a request body to `app` (a copy the caller owns). `current` is the stored application for
 * a PATCH (read-only and immutable properties are compared with it), undefined for a create.
 */
export function applyApplicationBody(
  app: Application,
  body: Json,
  current: Application | undefined,
): ApplicationBody {
  const ownerReferences: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key === "owners@odata.bind") {
      if (current)
        throw badRequest("Property 'owners@odata.bind' can only be set when the application is created.");
      ownerReferences.push(...strings(value, "owners"));
      continue;
    }
    if (key.includes("@odata.")) continue;
    if (READ_ONLY.includes(key)) {
      const existing = current ? (current as unknown as Json)[key] : undefined;
      if (!current || (value !== existing && !(key === "publisherDomain"))) {
        throw badRequest(`Property '${key}' is read-only and cannot be set.`);
      }
      continue;
    }
    applyProperty(app, key, value, current);
  }
  return { ownerReferences };
}

function applyProperty(
  app: Application,
  key: string,
  value: unknown,
  current: Application | undefined,
): void {
  switch (key) {
    case "displayName":
      app.displayName = str(value, key, { max: 256 }) as string;
      if (app.displayName.trim() === "") throw invalidValue(key, "Application");
      return;
    case "description":
      app.description = str(value, key, { nullable: true, max: 1024 });
      return;
    case "notes":
    case "serviceManagementReference":
      app[key] = str(value, key, { nullable: true });
      return;
    case "uniqueName": {
      const name = str(value, key, { nullable: true, max: 120 });
      if (current && current.uniqueName !== null && name !== current.uniqueName) {
        throw badRequest("Property 'uniqueName' is immutable once set.");
      }
      app.uniqueName = name;
      return;
    }
    case "signInAudience":
      if (typeof value !== "string" || !AUDIENCES.includes(value)) throw invalidValue(key, "Application");
      app.signInAudience = value;
      return;
    case "identifierUris":
    case "tags":
      app[key] = strings(value, key);
      return;
    case "isFallbackPublicClient":
      app.isFallbackPublicClient = bool(value, key, true);
      return;
    case "api":
      mergeApi(app, value);
      return;
    case "appRoles":
      app.appRoles = objects(value, key).map(readRole);
      return;
    case "web":
      mergeWeb(app, value);
      return;
    case "spa":
      mergePlatform(app.spa, value, key);
      return;
    case "publicClient":
      mergePlatform(app.publicClient, value, key);
      return;
    case "requiredResourceAccess":
      app.requiredResourceAccess = objects(value, key).map(readRequiredAccess);
      return;
    case "optionalClaims":
      if (value !== null && !isObject(value)) throw invalidValue(key, "Application");
      app.optionalClaims = value;
      return;
    case "info":
      mergeInfo(app, value);
      return;
    case "keyCredentials":
      app.keyCredentials = readKeyCredentials(value, current?.keyCredentials ?? []);
      return;
    case "passwordCredentials": {
      const existing = current ? current[key] : [];
      if (
        JSON.stringify(value) !== JSON.stringify(existing) &&
        !(Array.isArray(value) && value.length === 0 && !current)
      ) {
        throw badRequest(
          "Property 'passwordCredentials' cannot be updated directly: use addPassword and removePassword.",
        );
      }
      return;
    }
    default:
      throw unknownProperty(key);
  }
}
