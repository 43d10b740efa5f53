import { spawn } from "node:child_process";
import { open, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { OperationError } from "../../core/errors.js";
import { ensurePrivateDir } from "../../core/fs.js";
import { devTenantHome } from "../../core/paths.js";
import { healthyTenantId } from "./https-json-client.js";
import { assertPortFree } from "./port.js";
import { liveRuntime, type TenantRuntime, tenantCaFile, tenantLogFile } from "./runtime.js";

/** The CLI's own entry point: a detached tenant is `mcp-entra tenant start` in the background. */
const CLI_ENTRY = fileURLToPath(new URL("../../../bin/mcp-entra.js", import.meta.url));

export interface StartDetachedOptions {
  home: string;
  port: number;
  /** `--auto-approve` for the started tenant (true: the default user); undefined leaves it off. */
  autoApprove?: string | true;
  timeoutMs?: number;
}

/**
 * Starts the dev tenant as a detached child process (output to `<tenant dir>/tenant.log`) and
 * returns its runtime record once /health answers.
 */
export async function startDetached(options: StartDetachedOptions): Promise<TenantRuntime> {
  await assertPortFree(options.port);
  const dir = devTenantHome(options.home);
  await ensurePrivateDir(dir);
  const logFile = tenantLogFile(dir);
  const log = await open(logFile, "w", 0o600);
  const args = [CLI_ENTRY, "tenant", "start", "--port", String(options.port)];
  if (options.autoApprove !== undefined) args.push("--auto-approve");
  if (typeof options.autoApprove === "string") args.push(options.autoApprove);
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ["ignore", log.fd, log.fd],
    env: { ...process.env, MCP_ENTRA_HOME: options.home, MCP_ENTRA_TENANT_LOG: logFile, NO_COLOR: "1" },
  });
  await log.close();
  let exitCode: number | undefined;
  child.once("exit", (code, signal) => {
    exitCode = code ?? (signal ? 128 : 1);
  });
  child.once("error", () => {
    exitCode = 1;
  });
  child.unref();

  const caPem = () => readFile(tenantCaFile(dir), "utf8");
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    const runtime = await liveRuntime(dir);
    if (runtime?.phase === "running" && runtime.url && (await healthyTenantId(runtime.url, await caPem()))) {
      // Another start may have won the race for this folder; its tenant serves just as well.
      return runtime;
    }
    if (exitCode !== undefined && runtime?.pid !== child.pid) throw await failedToStart(logFile, exitCode);
    // Reading runtime.json costs next to nothing; the caller waits for this start.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (child.pid && exitCode === undefined) child.kill("SIGTERM");
  throw new OperationError(
    "TENANT_START_TIMEOUT",
    `The dev tenant did not answer within ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s.`,
    { suggestion: `See its log: ${logFile}` },
  );
}

async function failedToStart(logFile: string, exitCode: number): Promise<OperationError> {
  const log = await readFile(logFile, "utf8").catch(() => "");
  const lastLine = log.trim().split("\n").pop()?.trim();
  return new OperationError(
    "TENANT_START_FAILED",
    `The dev tenant stopped while starting (exit code ${exitCode})${lastLine ? `: ${lastLine}` : "."}`,
    { suggestion: `See its log: ${logFile}` },
  );
}
