import { spawn } from "node:child_process";
import { OperationError } from "../core/errors.js";
import { readPackageVersion } from "../core/package-version.js";
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
export function installDependencies(dir: string, options: InstallOptions): Promise<void> {
  return npmStep(dir, ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
    ...options,
    doing: "Installing dependencies (npm install)",
    done: "Installed dependencies",
  });
}

/** One npm command in a project folder, shown as a step; its output only on failure or --verbose. */
export async function npmStep(
  dir: string,
  args: string[],
  { ui, env, doing, done }: InstallOptions & { doing: string; done: string },
): Promise<void> {
  const command = `npm ${args.join(" ")}`;
  const spinner = await ui.spinner(doing);
  const { code, output } = await runNpm(args, dir, env ?? process.env);
  if (code !== 0) {
    spinner.fail(`${command} failed`);
    ui.tell(output.trimEnd());
    throw new OperationError("NPM_FAILED", `${command} failed in ${dir} (${code}).`, {
      suggestion: unpublishedMcpEntra(output)
        ? `this mcp-entra (${readPackageVersion()}) is not on the npm registry npm uses: publish it, or run \`npm pack\` in mcp-entra's folder and \`npm install -D <the .tgz>\` in ${dir}.`
        : `fix what npm reports above, then run \`${command}\` in ${dir}.`,
    });
  }
  spinner.succeed(done);
  if (output.trim()) ui.debug(`${command}:\n${output.trimEnd()}`);
}

/** npm found no mcp-entra, or none in the range (a build of mcp-entra that is not published yet). */
function unpublishedMcpEntra(output: string): boolean {
  return /\b(E404|ETARGET)\b/.test(output) && /\bmcp-entra@/.test(output);
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
