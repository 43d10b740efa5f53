import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../core/errors.js";
import {
  MCP_ENTRA_ROOT,
  mcpEntraDependency,
  port,
  projectName,
  serverUrl,
  type TemplateVariable,
} from "./variables.js";

/** A project `mcp-entra init` can generate: a folder under templates/ and the variables it uses. */
export interface Template {
  name: string;
  description: string;
  /** Absolute path of the template folder. */
  directory: string;
  variables: readonly TemplateVariable[];
  /**
   * The template this one is drawn over: its files are rendered first and this folder adds to them
   * and replaces same-named ones, so shared code lives once (proxy is remote plus the OAuth proxy).
   */
  base?: string;
}

/** Where the templates live in this installation (shipped in the npm package: "files" has templates). */
export const TEMPLATES_ROOT = fileURLToPath(new URL("templates/", MCP_ENTRA_ROOT));

function template(
  name: string,
  description: string,
  variables: readonly TemplateVariable[],
  base?: string,
): Template {
  return { name, description, directory: join(TEMPLATES_ROOT, name), variables, base };
}

export const TEMPLATES: readonly Template[] = [
  template(
    "local",
    "A stdio MCP server that signs the user in (device code or browser) and calls Graph as that user",
    [projectName, mcpEntraDependency],
  ),
  template(
    "remote",
    "A Streamable HTTP MCP server that validates Entra access tokens and calls Graph on behalf of users",
    [projectName, port, serverUrl, mcpEntraDependency],
  ),
  template(
    "proxy",
    "The remote server plus an OAuth proxy (DCR, Client ID Metadata Documents) for MCP clients Entra cannot register",
    [projectName, port, serverUrl, mcpEntraDependency],
    "remote",
  ),
];

export function findTemplate(name: string): Template {
  const found = TEMPLATES.find((candidate) => candidate.name === name);
  if (!found) {
    throw new UsageError("UNKNOWN_TEMPLATE", `There is no template "${name}".`, {
      suggestion: `choose one of: ${TEMPLATES.map((candidate) => candidate.name).join(", ")}`,
    });
  }
  return found;
}
