import { join } from "node:path";
import { updateEnvFile } from "../core/env-file.js";
import { parseOptions } from "../core/parse-options.js";
import type { Ui } from "../core/ui.js";
import { PRESETS, type Preset } from "../entra/registration/model.js";
import type { RegisterResult } from "../entra/registration/run-register.js";
import type { TenantTarget } from "../entra/tenant-target.js";
import { type InitAnswers, resolveInitAnswers } from "./init-answers.js";
import { initOptionsSchema } from "./init-options.js";
import { installDependencies } from "./install.js";
import { type NextStep, nextSteps } from "./next-steps.js";
import { renderTemplate } from "./render.js";

export interface InitDeps {
  ui: Ui;
  /** The tenant `register` uses (resolved only when it runs). */
  target: () => Promise<TenantTarget>;
  /** The folder a relative [dir] is resolved from (default: the current folder). */
  cwd?: string;
  /** The environment `npm install` runs with (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

export interface InitResult {
  answers: InitAnswers;
  /** The template's variables as rendered. */
  variables: Record<string, string>;
  /** Every file written, relative to the project folder, sorted. */
  files: string[];
  registration?: RegisterResult;
  installed: boolean;
  nextSteps: NextStep[];
}

/**
 * `mcp-entra init`: renders a template into a new folder, then (when asked) registers its Entra app
 * with the matching preset — writing .env and mcp-entra.json — and installs its dependencies.
 */
export async function runInit(raw: Record<string, unknown>, deps: InitDeps): Promise<InitResult> {
  const { ui } = deps;
  const cwd = deps.cwd ?? process.cwd();
  const options = parseOptions(initOptionsSchema, raw);
  const answers = await resolveInitAnswers(options, ui, cwd);
  const { targetDir, template } = answers;

  const given: Record<string, string | undefined> = {
    projectName: answers.projectName,
    port: answers.port,
    serverUrl: answers.serverUrl,
  };
  const declared = new Set(template.variables.map((variable) => variable.name));
  const rendered = await renderTemplate({
    template,
    targetDir,
    force: options.force,
    variables: Object.fromEntries(Object.entries(given).filter(([name]) => declared.has(name))),
  });
  const files = new Set(rendered.files);

  let registration: RegisterResult | undefined;
  if (answers.register) {
    registration = await register(answers, deps);
    for (const file of registration.files) files.add(file);
    // MCP_SERVER_URL and PORT agree: register sets PORT from a localhost URL; any other URL keeps ours.
    if (answers.port && (await updateEnvFile(join(targetDir, ".env"), { PORT: answers.port })))
      files.add(".env");
  }
  if (answers.install) await installDependencies(targetDir, { ui, env: deps.env });

  return {
    answers,
    variables: rendered.variables,
    files: [...files].sort(),
    registration,
    installed: answers.install,
    nextSteps: await nextSteps({
      answers,
      files: [...files],
      registered: Boolean(registration),
      devTenant: registration?.target.kind === "dev",
      installed: answers.install,
      cwd,
    }),
  };
}

async function register(answers: InitAnswers, deps: InitDeps): Promise<RegisterResult> {
  const preset = answers.template.name as Preset;
  if (!PRESETS.includes(preset)) {
    throw new Error(`The ${preset} template has no register preset of the same name.`);
  }
  const { runRegister } = await import("../entra/registration/run-register.js");
  try {
    return await runRegister(
      { preset, dir: answers.targetDir, ...(answers.serverUrl ? { serverUrl: answers.serverUrl } : {}) },
      { ui: deps.ui, target: deps.target },
    );
  } catch (error) {
    const url = answers.serverUrl ? ` --server-url ${answers.serverUrl}` : "";
    deps.ui.warn(
      `The project was created in ${answers.targetDir}, but not registered. Once the problem is fixed, run there: npx mcp-entra register --preset ${preset}${url}`,
    );
    throw error;
  }
}
