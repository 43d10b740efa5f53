import { spawn } from "node:child_process";
import { median } from "./stats.mjs";

/** Wall time of one run of a command, in ms (stdout/stderr discarded). */
export function timeOnce(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: "ignore", ...options });
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0 && !options.allowFailure)
        reject(new Error(`${command} ${args.join(" ")} exited ${code}`));
      else resolve(ms);
    });
  });
}

/**
 * Median wall time of several commands measured interleaved (A B C A B C …), so that background
 * load affects every command alike; a warm-up round is discarded.
 */
export async function timeInterleaved(commands, runs = 15) {
  const samples = commands.map(() => []);
  for (let round = -1; round < runs; round++) {
    for (const [index, { command, args, options }] of commands.entries()) {
      const ms = await timeOnce(command, args, options);
      if (round >= 0) samples[index].push(ms);
    }
  }
  return samples.map((values) => median(values));
}
