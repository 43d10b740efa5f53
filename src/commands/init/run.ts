import { mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { resolveTarget } from "../../entra/login/resolve-target.js";
import { registerJson, renderRegister } from "../../entra/registration/register-report.js";
import { type InitResult, runInit } from "../../scaffold/run-init.js";

/** `init`: runs it, then prints what was made and what to do next (text or --json). */
export async function runInitCommand(raw: Record<string, unknown>, ui: Ui): Promise<number> {
  const { yes: _yes, json: _json, verbose: _verbose, color: _color, ...options } = raw;
  const home = mcpEntraHome();
  const result = await runInit(options, {
    ui,
    target: () => resolveTarget({ tenant: options.tenant as string | undefined, home, ui }),
  });
  if (ui.json) ui.printJson(initJson(result));
  else renderInit(result, ui);
  return 0;
}

/** What `init --json` prints: the folder, template, files, registration (never a secret), next steps. */
export function initJson(result: InitResult) {
  const { answers } = result;
  return {
    ok: true,
    dir: answers.targetDir,
    template: answers.template.name,
    projectName: answers.projectName,
    variables: result.variables,
    files: result.files,
    registration: result.registration ? registrationSummary(result) : null,
    installed: result.installed,
    nextSteps: result.nextSteps,
  };
}

function registrationSummary(result: InitResult) {
  const { ok: _ok, dryRun: _dryRun, graph: _graph, secret, ...summary } = registerJson(result.registration!);
  // The secret's value stays in .env: only its hint and expiry are reported.
  return {
    ...summary,
    secret: secret && { keyId: secret.keyId, hint: secret.hint, endDateTime: secret.endDateTime },
  };
}

function renderInit(result: InitResult, ui: Ui): void {
  const c = ui.color;
  const { answers } = result;
  ui.print(
    `${c.green("✔")} Created ${c.bold(answers.projectName)} (${answers.template.name} template) in ${answers.targetDir}: ${result.files.length} files`,
  );
  if (result.registration) renderRegister(result.registration, ui);
  ui.print();
  ui.print(c.bold("Next steps:"));
  for (const step of result.nextSteps) {
    ui.print(`  ${step.title}`);
    if (step.command) ui.print(`    ${c.cyan(step.command)}`);
  }
}
