import { Writable } from "node:stream";
import { Ui, type UiOptions } from "./ui.js";

/** A Ui that writes nowhere, for running a command's logic from code (tests' helpers, benchmarks). */
export function silentUi(options: Pick<UiOptions, "yes"> = {}): Ui {
  const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const stream = sink as unknown as NodeJS.WriteStream;
  return new Ui({ ...options, color: false, env: {}, stdout: stream, stderr: stream });
}
