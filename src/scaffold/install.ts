import { spawn } from "node:child_process";
import { OperationError } from "../core/errors.js";
import type { Ui } from "../core/ui.js";

export interface InstallOptions {
  ui: Ui;
  /** The environment npm runs with (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

/**
 * `npm install` in a generated project, behind a spinner. npm's output is kept and shown only when
 * it fails, or with --verbose.
 */
export async function installDependencies(dir: string, { ui, env }: InstallOptions): Promise<void> {
  const spinner = await ui.spinner("Installing dependencies (npm install)");
  const { code, output } = await runNpm(
    ["install", "--prefer-offline", "--no-audit", "--no-fund"],
    dir,
    env ?? process.env,
  );
  if (code !== 0) {
    spinner.fail("npm install failed");
    ui.tell(output.trimEnd());
    throw new OperationError("INSTALL_FAILED", `npm install failed in ${dir} (${code}).`, {
      suggestion: `fix what npm reports above, then run \`npm install\` in ${dir}.`,
    });
  }
  spinner.succeed("Installed dependencies");
  if (output.trim()) ui.debug(`npm install:\n${output.trimEnd()}`);
}

function runNpm(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | string; output: string }> {
  return new Promise((resolve) => {
    const windows = process.platform === "win32";
    const child = spawn(windows ? "npm.cmd" : "npm", args, {
      cwd,
      env,
      shell: windows,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.once("error", (error: NodeJS.ErrnoException) =>
      resolve({ code: error.code ?? "error", output: `${error.message}\n` }),
    );
    child.once("close", (code, signal) =>
      resolve({ code: code ?? signal ?? "killed", output: Buffer.concat(chunks).toString("utf8") }),
    );
  });
}
