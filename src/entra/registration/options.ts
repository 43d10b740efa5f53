import { z } from "zod";
import { isGuid } from "../well-known.js";
import { PRESETS } from "./model.js";

/** Everything `mcp-entra register` accepts, validated and with documented defaults. */

const guid = z.string().trim().refine(isGuid, "must be a GUID like 00000000-0000-0000-0000-000000000000");

export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]";
}

/** https anywhere, or http on a loopback host (what Entra accepts for redirect URIs). */
export const redirectUri = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
    } catch {
      return false;
    }
  }, "must be an https URL, or http on localhost/127.0.0.1 (Entra rejects other http redirect URIs)");

/** The MCP server URL: https, or http on loopback for local development; no query or fragment. */
export const serverUrl = redirectUri.refine((value) => {
  // zod runs this refinement even when the one before failed: an unparsable URL is reported there.
  if (!URL.canParse(value)) return true;
  const url = new URL(value);
  return !url.search && !url.hash;
}, "must not carry a query or fragment");

const permissionValue = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(120, "must be at most 120 characters")
  .regex(/^[^\s.][^\s]*$/, "must have no spaces and not start with a dot");

const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) =>
      value === undefined
        ? undefined
        : [value].flat().flatMap((entry) => {
            const items = String(entry)
              .split(",")
              .map((item) => item.trim())
              .filter(Boolean);
            // An empty value (`--scope ""`) is refused by the item's rules instead of ignored.
            return items.length > 0 ? items : [""];
          }),
    z.array(item).optional(),
  );

export const registerOptionsSchema = z.object({
  preset: z.enum(PRESETS, { message: `must be one of ${PRESETS.join(", ")}` }),
  dir: z.string().trim().min(1, "must not be empty").default("."),
  name: z.string().trim().min(1, "must not be empty").max(120, "must be at most 120 characters").optional(),
  signInAudience: z
    .enum(
      [
        "AzureADMyOrg",
        "AzureADMultipleOrgs",
        "AzureADandPersonalMicrosoftAccount",
        "PersonalMicrosoftAccount",
      ],
      {
        message:
          "must be AzureADMyOrg, AzureADMultipleOrgs, AzureADandPersonalMicrosoftAccount or PersonalMicrosoftAccount",
      },
    )
    .default("AzureADMyOrg"),
  serverUrl: serverUrl.optional(),
  appIdUri: z
    .string()
    .trim()
    .refine(
      (value) => /^api:\/\/\S+$/.test(value) || /^https:\/\/\S+$/.test(value),
      "must start with api:// or https://",
    )
    .optional(),
  redirectUri: list(redirectUri),
  webRedirectUri: list(redirectUri),
  spaRedirectUri: list(redirectUri),
  publicRedirectUri: list(redirectUri),
  scope: list(permissionValue),
  role: list(permissionValue),
  tokenVersion: z.coerce
    .number()
    .refine((value) => value === 1 || value === 2, "must be 1 or 2")
    .transform((value) => value as 1 | 2)
    .default(2),
  preAuthorize: list(guid),
  preAuthorizeVscode: z.boolean().default(true),
  credential: z
    .enum(["secret", "certificate", "federated", "managed-identity", "none"], {
      message: "must be secret, certificate, federated, managed-identity or none",
    })
    .optional(),
  certificate: z.string().trim().min(1).optional(),
  secretLifetime: z.coerce
    .number({ message: "must be a number of days" })
    .int("must be a whole number of days")
    .min(1, "must be from 1 to 730 days")
    .max(730, "must be from 1 to 730 days (Entra's limit is 2 years)")
    .default(180),
  newSecret: z.boolean().default(false),
  federatedIssuer: z
    .string()
    .trim()
    .refine((value) => URL.canParse(value) && new URL(value).protocol === "https:", "must be an https URL")
    .optional(),
  federatedSubject: z.string().trim().min(1).max(600, "must be at most 600 characters").optional(),
  federatedAudience: z.string().trim().min(1).default("api://AzureADTokenExchange"),
  /** A user-assigned managed identity (client id or principal id) the server signs in with. */
  managedIdentity: guid.optional(),
  githubRepo: z
    .string()
    .trim()
    .regex(/^[\w.-]+\/[\w.-]+$/, "must be OWNER/REPO")
    .optional(),
  githubRef: z
    .string()
    .trim()
    .regex(/^refs\/(heads|tags)\/\S+$/, "must be a full ref like refs/heads/main")
    .optional(),
  githubEnvironment: z.string().trim().min(1).optional(),
  owner: list(z.string().trim().min(1)),
  serviceManagementReference: guid.optional(),
  adminConsent: z.boolean().default(true),
  api: guid.optional(),
  ciRole: list(permissionValue),
  graphPermission: list(permissionValue),
  graphAppPermission: list(permissionValue),
  dryRun: z.boolean().default(false),
  showSecret: z.boolean().default(false),
});

export type RegisterOptions = z.output<typeof registerOptionsSchema>;
