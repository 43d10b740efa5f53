import { devTenantHome, mcpEntraHome } from "../../core/paths.js";
import type { Ui } from "../../core/ui.js";
import { waitFor } from "../../core/wait.js";
import {
  isRuntimeAlive,
  liveRuntime,
  releaseRuntime,
  type TenantRuntime,
} from "../../tenant/server/runtime.js";

export interface StopResult {
  /** The tenant that was stopped; undefined when none was running. */
  stopped?: TenantRuntime;
  /** It did not stop within the timeout after SIGTERM and was killed. */
  killed: boolean;
}

/** Stops the tenant that serves a home folder: SIGTERM, wait, SIGKILL as a last resort. */
export async function stopDevTenantProcess(home: string, timeoutMs = 10_000): Promise<StopResult> {
  const dir = devTenantHome(home);
  const runtime = await liveRuntime(dir);
  if (!runtime) return { killed: false };
  const gone = () => !isRuntimeAlive(runtime);
  signal(runtime.pid, "SIGTERM");
  let killed = false;
  if (!(await waitFor(gone, timeoutMs))) {
    signal(runtime.pid, "SIGKILL");
    killed = true;
    await waitFor(gone, 5000);
  }
  // A tenant removes its runtime file when it stops cleanly; after SIGKILL that is left to us.
  await releaseRuntime(dir, runtime.pid);
  return { stopped: runtime, killed };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

export async function runTenantStop(ui: Ui, home = mcpEntraHome()): Promise<number> {
  const result = await stopDevTenantProcess(home);
  if (ui.json) {
    ui.printJson({
      stopped: Boolean(result.stopped),
      pid: result.stopped?.pid ?? null,
      killed: result.killed,
    });
    return 0;
  }
  if (!result.stopped) {
    ui.print("The dev tenant is not running.");
    return 0;
  }
  const how = result.killed ? " It did not stop within 10 s and was killed." : "";
  ui.print(
    `Stopped the dev tenant (pid ${result.stopped.pid}${result.stopped.url ? `, ${result.stopped.url}` : ""}).${how}`,
  );
  return 0;
}
