import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * Starts a node script that prints one JSON line when it is ready; returns that object, a stop()
 * that sends SIGTERM and waits for the exit, and cpuSeconds(): the child's CPU time so far (user +
 * system, from /proc on Linux; undefined elsewhere).
 */
export function startChild(script, args = [], options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
      ...options,
    });
    let buffer = "";
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`${script} exited ${code} before it was ready`)));
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      const newline = buffer.indexOf("\n");
      if (newline < 0) return;
      child.removeAllListeners("exit");
      const info = JSON.parse(buffer.slice(0, newline));
      resolve({
        info,
        pid: child.pid,
        cpuSeconds: () => cpuSeconds(child.pid),
        stop: () =>
          new Promise((done) => {
            child.once("exit", done);
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

/** utime + stime of a process, in seconds (Linux: /proc/<pid>/stat, fields 14 and 15, in clock ticks). */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const TICKS_PER_SECOND = 100;
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
