import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { UsageError } from "../core/errors.js";
import { findTemplate, type Template } from "./registry.js";
import { resolveVariables } from "./variables.js";

export interface RenderOptions {
  /** A template name ("remote") or a template from the registry. */
  template: string | Template;
  targetDir: string;
  variables?: Record<string, string | number | undefined>;
  /** Write into a folder that already has files (template files replace same-named ones). */
  force?: boolean;
}

export interface RenderResult {
  targetDir: string;
  /** The variables as used, defaults included. */
  variables: Record<string, string>;
  /** The files written, relative to targetDir, with `/` separators, sorted. */
  files: string[];
}

/**
 * Files stored under another name in the template because npm would drop or rename them when
 * mcp-entra is packed: they get their real name when rendered.
 */
const RENAMED: Record<string, string> = { gitignore: ".gitignore" };

/** What a template folder may contain in a working copy but must never be copied. */
const SKIPPED = new Set(["node_modules", "dist", "coverage", ".env", "package-lock.json", ".DS_Store"]);

const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;

/** Renders a template folder into targetDir, replacing `{{variable}}` placeholders in every file. */
export async function renderTemplate(options: RenderOptions): Promise<RenderResult> {
  const template = typeof options.template === "string" ? findTemplate(options.template) : options.template;
  const variables = resolveVariables(template.variables, options.variables ?? {}, options.targetDir);
  await checkTarget(options.targetDir, options.force ?? false);

  const files: string[] = [];
  for (const [path, source] of await templateSources(template)) {
    const target = join(options.targetDir, ...path.split("/"));
    const content = await readFile(source);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(
      target,
      isText(content) ? substitute(content.toString("utf8"), variables, path) : content,
    );
    files.push(path);
  }
  return { targetDir: options.targetDir, variables, files: files.sort() };
}

/**
 * The files a template renders: project path (`/` separators, real names) → source file. A template
 * with a base gets the base's files first, its own added over them.
 */
export async function templateSources(template: Template): Promise<Map<string, string>> {
  const sources = template.base ? await templateSources(findTemplate(template.base)) : new Map();
  for (const source of await listFiles(template.directory)) {
    sources.set(relative(template.directory, source).split(sep).map(renamed).join("/"), source);
  }
  return sources;
}

/** Every placeholder in a text, so tests can check that templates use only declared variables. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

function substitute(text: string, variables: Record<string, string>, path: string): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`Template file ${path} uses an undeclared variable {{${name}}}`);
    return value;
  });
}

function renamed(segment: string): string {
  return RENAMED[segment] ?? segment;
}

function isText(content: Buffer): boolean {
  return !content.subarray(0, 8000).includes(0);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** Refuses a target that is a file, or a folder with files in it unless `force` (nothing is written). */
export async function checkTarget(targetDir: string, force: boolean): Promise<void> {
  const info = await stat(targetDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (!info) return;
  if (!info.isDirectory()) {
    throw new UsageError("TARGET_NOT_A_FOLDER", `${targetDir} exists and is not a folder.`, {
      suggestion: "choose another target folder",
    });
  }
  if (!force && (await readdir(targetDir)).length > 0) {
    throw new UsageError("TARGET_NOT_EMPTY", `${targetDir} is not empty.`, {
      suggestion: "choose an empty or new folder, or pass --force to write into it anyway",
    });
  }
}
