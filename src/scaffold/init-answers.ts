import { basename, resolve } from "node:path";
import { invalidFlag, McpEntraError, UsageError } from "../core/errors.js";
import type { Question, Ui } from "../core/ui.js";
import { DEFAULT_PROJECT_NAME, DEFAULT_TEMPLATE, type InitOptions } from "./init-options.js";
import { findTemplate, TEMPLATES, type Template } from "./registry.js";
import { checkTarget } from "./render.js";
import { port as portVariable, projectName, serverUrl as serverUrlVariable } from "./variables.js";

/** What `init` will do, every question answered (by a flag, a prompt, or a default). */
export interface InitAnswers {
  targetDir: string;
  projectName: string;
  template: Template;
  /** Only for templates that declare them. */
  port?: string;
  serverUrl?: string;
  register: boolean;
  install: boolean;
}

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];

/**
 * Asks for what the flags left open. Without a terminal (and without --yes) every missing required
 * answer is collected into one usage error naming each flag. The target folder is checked before
 * anything else is asked, so a folder that would be overwritten fails first.
 */
export async function resolveInitAnswers(options: InitOptions, ui: Ui, cwd: string): Promise<InitAnswers> {
  const missing: string[] = [];
  const ask = async <T>(question: Question<T>): Promise<T | undefined> => {
    try {
      return await ui.ask(question);
    } catch (error) {
      if (error instanceof McpEntraError && error.code === "MISSING_ANSWER") {
        missing.push(question.flag);
        return undefined;
      }
      throw error;
    }
  };

  let name = options.name;
  if (!options.dir && !name) {
    name = await ask({
      kind: "input",
      message: "Project name (also the new folder's name):",
      flag: "--name <name> (or a [dir] argument)",
      default: DEFAULT_PROJECT_NAME,
      validate: (value) => projectName.validate(value.trim()) ?? true,
    });
    name = name?.trim();
  }
  const dir = options.dir ?? (name ? folderFor(name) : undefined);
  const targetDir = dir ? resolve(cwd, dir) : undefined;
  if (targetDir) await checkTarget(targetDir, options.force);

  const templateName =
    options.template ??
    (await ask({
      kind: "select",
      message: "Which template?",
      flag: `--template <${TEMPLATES.map((template) => template.name).join("|")}>`,
      default: TEMPLATES.some((template) => template.name === DEFAULT_TEMPLATE)
        ? DEFAULT_TEMPLATE
        : TEMPLATES[0]?.name,
      choices: TEMPLATES.map((template) => ({
        name: template.name,
        value: template.name,
        description: template.description,
      })),
    }));
  const template = templateName ? findTemplate(templateName) : undefined;
  const declares = (variable: string) => template?.variables.some((entry) => entry.name === variable);

  let port = options.port;
  let serverUrl = options.serverUrl && serverUrlVariable.normalize!(options.serverUrl);
  if (declares("port") && port === undefined) {
    port = await ask({
      kind: "input",
      message: "Port the server listens on in development:",
      flag: "--port <port>",
      default: loopbackPort(serverUrl) ?? "3000",
      optional: true,
      validate: (value) => portVariable.validate(value.trim()) ?? true,
    });
    port = port?.trim();
  }
  if (declares("serverUrl") && serverUrl === undefined) {
    const answer = await ask({
      kind: "input",
      message: "Public URL of the MCP endpoint:",
      flag: "--server-url <url>",
      default: `http://localhost:${port ?? "3000"}/mcp`,
      optional: true,
      validate: (value) => serverUrlVariable.validate(value.trim()) ?? true,
    });
    serverUrl = answer && serverUrlVariable.normalize!(answer.trim());
  }
  checkPortMatchesUrl(port, serverUrl);

  const preset = template?.name ?? "<template>";
  const register =
    options.register ??
    (await ask({
      kind: "confirm",
      message: `Register the Entra app now (mcp-entra register --preset ${preset}; writes .env)?`,
      flag: "--[no-]register",
      default: true,
    }));
  const install =
    options.install ??
    (await ask({
      kind: "confirm",
      message: "Install dependencies now (npm install)?",
      flag: "--[no-]install",
      default: true,
    }));

  if (missing.length > 0 || !targetDir || !template || register === undefined || install === undefined) {
    throw new UsageError(
      "MISSING_ANSWER",
      `${listed(missing)} ${missing.length === 1 ? "is" : "are"} required here (no terminal to ask on).`,
      { suggestion: `pass ${missing.length === 1 ? "it" : "them"}, or --yes to accept the defaults.` },
    );
  }
  return {
    targetDir,
    projectName: name ?? projectName.defaultValue({ targetDir, values: {} }),
    template,
    ...(declares("port") ? { port } : {}),
    ...(declares("serverUrl") ? { serverUrl } : {}),
    register,
    install,
  };
}

function listed(items: string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The folder a package name gets: its last segment (`@scope/name` → `name`). */
function folderFor(name: string): string {
  return basename(name);
}

function loopbackPort(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const parsed = new URL(url);
  return LOOPBACK.includes(parsed.hostname) && parsed.port ? parsed.port : undefined;
}

/** On localhost the server URL names the port the server listens on: the two must agree. */
function checkPortMatchesUrl(port: string | undefined, url: string | undefined): void {
  const urlPort = loopbackPort(url);
  if (port && urlPort && urlPort !== port) {
    throw invalidFlag(
      "--port",
      `${port} differs from the port of --server-url ${url}`,
      "give the same port in both, or leave one of them out",
    );
  }
}
