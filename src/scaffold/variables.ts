import { basename } from "node:path";
import { UsageError } from "../core/errors.js";
import { readPackageVersion } from "../core/package-version.js";

/**
 * The variables templates may use, written `{{name}}` in the template files. Placeholders appear
 * only inside strings of JSON files, in Markdown, YAML and .env.example, so every template stays a
 * valid project in the repository (linted and type-checked as it is).
 */
export interface TemplateVariable {
  name: string;
  description: string;
  /** The value when none is given; may depend on the target folder and the other values. */
  defaultValue(context: { targetDir: string; values: Record<string, string> }): string;
  /** Returns a problem ("must be ...") or undefined. */
  validate(value: string): string | undefined;
  /** Normalises an accepted value (e.g. canonical URL form). */
  normalize?(value: string): string;
}

const NPM_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** A package name npm accepts, from a folder name. */
export function toPackageName(folder: string): string {
  const slug = folder
    .toLowerCase()
    .replace(/[^a-z0-9-._~]+/g, "-")
    .replace(/^[-._]+|-+$/g, "");
  return slug.slice(0, 214) || "mcp-server";
}

function canonicalUrl(value: string): string {
  return new URL(value).href.replace(/\/+$/, "");
}

export const projectName: TemplateVariable = {
  name: "projectName",
  description: "the npm package name of the generated project",
  defaultValue: ({ targetDir }) => toPackageName(basename(targetDir)),
  validate: (value) =>
    value.length <= 214 && NPM_NAME.test(value)
      ? undefined
      : "must be a valid npm package name (lowercase letters, digits, - . _ ~; at most 214 characters)",
};

export const port: TemplateVariable = {
  name: "port",
  description: "the port the server listens on in development",
  defaultValue: () => "3000",
  validate: (value) =>
    /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535
      ? undefined
      : "must be a port number from 1 to 65535",
};

export const serverUrl: TemplateVariable = {
  name: "serverUrl",
  description: "the public URL of the MCP endpoint",
  defaultValue: ({ values }) => `http://localhost:${values.port ?? "3000"}/mcp`,
  validate: (value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return "must be a URL such as http://localhost:3000/mcp";
    }
    const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
      return "must be https, or http on localhost";
    }
    if (url.search || url.hash || url.username || url.password)
      return "must not carry a query, fragment or credentials";
    return undefined;
  },
  normalize: canonicalUrl,
};

/** The package root of this mcp-entra installation (src/scaffold and dist/scaffold are two levels down). */
export const MCP_ENTRA_ROOT = new URL("../../", import.meta.url);

export const mcpEntraDependency: TemplateVariable = {
  name: "mcpEntraDependency",
  description: "the version range npm installs mcp-entra from",
  // The version that generated the project and any later compatible one, from the npm registry: the
  // same range on every machine, so the project installs anywhere (its CI too).
  defaultValue: () => `^${readPackageVersion()}`,
  // The value lands inside a JSON string: no quotes, backslashes or control characters.
  validate: (value) =>
    value.length > 0 && !/["\\]/.test(value) && [...value].every((char) => char >= " ")
      ? undefined
      : "must be a version range without quotes, backslashes or control characters",
};

/**
 * Resolves the values for a template: given values first, then defaults in declaration order.
 * Throws a UsageError naming the first bad or unknown variable.
 */
export function resolveVariables(
  declared: readonly TemplateVariable[],
  given: Record<string, string | number | undefined>,
  targetDir: string,
): Record<string, string> {
  const names = new Set(declared.map((variable) => variable.name));
  for (const name of Object.keys(given)) {
    if (!names.has(name)) {
      throw new UsageError("TEMPLATE_VARIABLE_UNKNOWN", `Unknown template variable "${name}".`, {
        suggestion: `use one of: ${[...names].join(", ")}`,
      });
    }
  }
  const values: Record<string, string> = {};
  for (const variable of declared) {
    const raw = given[variable.name];
    const value = raw === undefined ? variable.defaultValue({ targetDir, values }) : String(raw).trim();
    const problem = variable.validate(value);
    if (problem) {
      throw new UsageError("TEMPLATE_VARIABLE_INVALID", `${variable.name} "${value}" ${problem}.`, {
        suggestion: `give ${variable.description} in the accepted form`,
      });
    }
    values[variable.name] = variable.normalize ? variable.normalize(value) : value;
  }
  return values;
}
