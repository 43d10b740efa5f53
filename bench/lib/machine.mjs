import { cpus, loadavg, totalmem } from "node:os";

/** What the numbers were measured on (written at the top of BENCHMARKS.md). */
export function machine() {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? "unknown",
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg()
      .map((value) => value.toFixed(2))
      .join(" "),
  };
}
