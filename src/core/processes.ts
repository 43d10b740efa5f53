import { readFileSync } from "node:fs";

/**
 * Whether a process with this id runs (it may belong to another user). A zombie (exited, not yet
 * reaped by its parent) does not count: a detached tenant's parent may reap it late.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return procStat(pid)?.[0] !== "Z";
}

/**
 * The start time of a process in clock ticks since boot, from /proc (Linux); null elsewhere. With
 * the pid it names one process for good, so a reused pid is not mistaken for the one recorded.
 */
export function processStartTime(pid: number): string | null {
  return procStat(pid)?.[19] ?? null;
}

/** The fields of /proc/<pid>/stat from the third (state) on; undefined where there is no /proc. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses; the fields after it are plain.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}
