import { z } from "zod";
import { invalidFlag } from "../core/errors.js";
import { blankAsNaN, checkReadableFiles, parseOptions } from "../core/parse-options.js";
import { PROTOCOL_CHOICES } from "./mcp-client/protocol-choices.js";
import { rejectHttpOnlyFlags, type StdioFlowOptions, stdioOptions } from "./stdio/stdio-options.js";

export type { StdioFlowOptions } from "./stdio/stdio-options.js";

export const SIGN_IN_METHODS = ["browser", "headless", "device-code", "client-credentials"] as const;

/** How a pre-registered client with a secret authenticates (its registration's token_endpoint_auth_method). */
export const CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"] as const;

/** The options of `mcp-entra test-flow`, as commander hands them over (strings), validated. */
export const testFlowOptions = z
  .object({
    serverUrl: z
      .string()
      .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), "must be an http(s) URL")
      .optional(),
    stdio: z.string().optional(),
    cwd: z.string().min(1).optional(),
    auth: z.enum(SIGN_IN_METHODS, { message: `must be one of ${SIGN_IN_METHODS.join(", ")}` }).optional(),
    tokenFile: z.string().min(1).optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    tokenEndpointAuthMethod: z
      .enum(CLIENT_AUTH_METHODS, { message: `must be one of ${CLIENT_AUTH_METHODS.join(", ")}` })
      .optional(),
    clientMetadataUrl: z
      .string()
      .refine((value) => {
        if (!URL.canParse(value)) return false;
        const url = new URL(value);
        return url.protocol === "https:" && url.pathname !== "/";
      }, "must be an https URL with a path (it becomes the client_id)")
      .optional(),
    certificateFile: z.string().min(1).optional(),
    privateKeyFile: z.string().min(1).optional(),
    federatedTokenFile: z.string().min(1).optional(),
    scope: z.string().trim().min(1).optional(),
    tool: z.string().min(1).optional(),
    args: z
      .string()
      .transform((text, ctx) => {
        try {
          const value = JSON.parse(text) as unknown;
          if (value && typeof value === "object" && !Array.isArray(value))
            return value as Record<string, unknown>;
        } catch {
          // reported below
        }
        ctx.addIssue({ code: "custom", message: 'must be a JSON object, e.g. \'{"name":"value"}\'' });
        return z.NEVER;
      })
      .optional(),
    fresh: z.boolean().default(false),
    probe: z.boolean().default(false),
    strict: z.boolean().default(false),
    requireAuth: z.boolean().default(false),
    protocol: z
      .enum(PROTOCOL_CHOICES, { message: `must be one of ${PROTOCOL_CHOICES.join(", ")}` })
      .default("auto"),
    resource: z.boolean().default(true),
    caFile: z.array(z.string().min(1)).default([]),
    timeout: z.coerce
      .number({ message: "must be a number of seconds" })
      .positive("must be more than 0 seconds")
      .max(3600, "must be at most 3600 seconds")
      .default(120),
    /** Seconds to keep retrying a token request Entra refuses while a fresh credential propagates. */
    propagationWait: z
      .preprocess(
        blankAsNaN,
        z.coerce
          .number({ message: "must be a number of seconds" })
          .int("must be a whole number of seconds")
          .min(0, "must be 0 seconds or more")
          .max(600, "must be at most 600 seconds"),
      )
      .default(60),
    junit: z.string().min(1).optional(),
    json: z.boolean().default(false),
  })
  .strip();

/** The options of a flow against a server reached by URL (Streamable HTTP). */
export type TestFlowOptions = Omit<z.output<typeof testFlowOptions>, "serverUrl" | "stdio" | "cwd"> & {
  transport: "streamable-http";
  serverUrl: string;
};

/** A flow against a server by URL, or against a stdio server test-flow starts. */
export type FlowOptions = TestFlowOptions | StdioFlowOptions;

/** Validates the options; combinations that cannot work are usage errors that name the flag. */
export function parseTestFlowOptions(
  raw: Record<string, unknown> & { serverUrl: string; stdio?: undefined },
  env?: NodeJS.ProcessEnv,
): TestFlowOptions;
export function parseTestFlowOptions(raw: unknown, env?: NodeJS.ProcessEnv): FlowOptions;
export function parseTestFlowOptions(raw: unknown, env: NodeJS.ProcessEnv = process.env): FlowOptions {
  const input = raw as Record<string, unknown>;
  if (input.stdio !== undefined && input.serverUrl !== undefined) {
    throw invalidFlag(
      "--stdio",
      "cannot be combined with a server URL",
      'Pass the URL of a Streamable HTTP server, or --stdio "<command>" for a local server, not both.',
    );
  }
  if (input.stdio === undefined && input.serverUrl === undefined) {
    throw invalidFlag(
      "<server-url>",
      "is missing",
      'Pass the MCP server\'s URL, or --stdio "<command>" to start a local (stdio) server.',
    );
  }
  if (input.cwd !== undefined && input.stdio === undefined) {
    throw invalidFlag(
      "--cwd",
      "needs --stdio",
      "It is the folder a stdio server is started in; add --stdio.",
    );
  }
  if (input.stdio !== undefined) rejectHttpOnlyFlags(input);
  const { serverUrl, stdio, cwd, ...options } = parseOptions(testFlowOptions, {
    ...input,
    ...(input.stdio === undefined
      ? {
          clientId: input.clientId ?? (env.MCP_CLIENT_ID || undefined),
          clientSecret: input.clientSecret ?? (env.MCP_CLIENT_SECRET || undefined),
        }
      : {}),
  });
  if (options.args && !options.tool) {
    throw invalidFlag("--args", "needs --tool", "Pass --tool <name> with --args, or leave both out.");
  }
  if (stdio !== undefined) {
    const { tool, args, timeout, junit, json, protocol } = options;
    return stdioOptions({ stdio, cwd }, { tool, args, timeout, junit, json, protocol });
  }
  return httpOptions({
    ...options,
    // --strict refuses what the spec refuses, a server that never asks for a token included.
    requireAuth: options.requireAuth || options.strict,
    transport: "streamable-http",
    serverUrl: serverUrl!,
  });
}

function httpOptions(options: TestFlowOptions): TestFlowOptions {
  if (options.tokenFile && options.auth) {
    throw invalidFlag("--token-file", `cannot be combined with --auth ${options.auth}`, "Use one of them.");
  }
  const appCredentials = [options.certificateFile, options.privateKeyFile, options.federatedTokenFile].filter(
    Boolean,
  ).length;
  if (appCredentials > 0 && options.auth !== "client-credentials") {
    throw invalidFlag(
      options.certificateFile
        ? "--certificate-file"
        : options.privateKeyFile
          ? "--private-key-file"
          : "--federated-token-file",
      "is a client credential for app-only sign-in",
      "Add --auth client-credentials, or leave it out.",
    );
  }
  if (options.auth === "client-credentials") {
    // A workload identity token may be the only credential (the jwt-bearer grant needs no client id).
    if (!options.clientId && !options.federatedTokenFile) {
      throw invalidFlag(
        "--client-id",
        "is required with --auth client-credentials",
        "Pass --client-id <id> (or MCP_CLIENT_ID).",
      );
    }
    if (!options.clientSecret && appCredentials === 0) {
      throw invalidFlag(
        "--client-secret",
        "--auth client-credentials needs a credential",
        "Pass --client-secret (or MCP_CLIENT_SECRET), --certificate-file <pem> (Entra), --private-key-file <pem> or --federated-token-file <file>.",
      );
    }
  }
  if (options.auth === "device-code" && !options.clientId) {
    throw invalidFlag(
      "--client-id",
      "is required with --auth device-code",
      "Pass the public client's --client-id <id>.",
    );
  }
  return options;
}

/** The files flags name are checked before any request: a missing one is bad input (exit 2), not a failed step. */
export async function checkFlagFiles(options: FlowOptions): Promise<void> {
  if (options.transport === "stdio") return;
  await checkReadableFiles({
    "--token-file": options.tokenFile,
    "--certificate-file": options.certificateFile,
    "--private-key-file": options.privateKeyFile,
    "--federated-token-file": options.federatedTokenFile,
  });
}
