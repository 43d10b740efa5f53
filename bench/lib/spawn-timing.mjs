import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { median } from "./stats.mjs";

/** Wall time of one run of a command, in ms (stdout/stderr discarded). */
export async function timeOnce(command, args, options = {}) {
  return (await measureOnce(command, args, options)).ms;
}

/**
 * Wall time and CPU time (user + system, ms) of one run of a command. The CPU time is that of the
 * child and of every process it waited for (Linux: this process's reaped-children counters in /proc);
 * a process it leaves running, such as a detached dev tenant, is not in it. undefined elsewhere.
 */
export function measureOnce(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const cpuBefore = childrenCpuMs();
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: "ignore", ...options });
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const cpuAfter = childrenCpuMs();
      const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
      if (code !== 0 && !options.allowFailure)
        reject(new Error(`${command} ${args.join(" ")} exited ${code}`));
      else resolve({ ms, cpuMs });
    });
  });
}

/**
 * Median wall time of several commands measured interleaved (A B C A B C …), so that background
 * load affects every command alike; a warm-up round is discarded.
 */
export async function timeInterleaved(commands, runs = 15) {
  return (await measureInterleaved(commands, runs)).map(({ ms }) => ms);
}

/** timeInterleaved, with the median CPU time of each command too ({ ms, cpuMs }). */
export async function measureInterleaved(commands, runs = 15) {
  const samples = commands.map(() => ({ ms: [], cpuMs: [] }));
  for (let round = -1; round < runs; round++) {
    for (const [index, { command, args, options }] of commands.entries()) {
      const { ms, cpuMs } = await measureOnce(command, args, options);
      if (round < 0) continue;
      samples[index].ms.push(ms);
      if (cpuMs !== undefined) samples[index].cpuMs.push(cpuMs);
    }
  }
  return samples.map(({ ms, cpuMs }) => ({
    ms: median(ms),
    cpuMs: cpuMs.length ? median(cpuMs) : undefined,
  }));
}

/** CPU time of a running process so far, in ms (Linux: /proc/<pid>/stat; undefined elsewhere). */
export function processCpuMs(pid) {
  return statFields(pid, (fields) => fields[11] + fields[12]);
}

/** CPU time of the children this process has reaped, in ms (Linux; undefined elsewhere). */
function childrenCpuMs() {
  return statFields("self", (fields) => fields[13] + fields[14]);
}

function statFields(pid, pick) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat
      .slice(stat.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
    const MS_PER_TICK = 10; // USER_HZ is 100 on Linux
    return pick(fields) * MS_PER_TICK;
  } catch {
    return undefined;
  }
}
