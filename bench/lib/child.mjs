import { spawn } from "node:child_process";

/**
 * Starts a node script that prints one JSON line when it is ready; returns that object and a
 * stop() that sends SIGTERM and waits for the exit.
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
        stop: () =>
          new Promise((done) => {
            child.once("exit", done);
            child.kill("SIGTERM");
          }),
      });
    });
  });
}
