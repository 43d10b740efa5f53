import { Writable } from "node:stream";
import { Ui, type UiOptions } from "../../src/core/ui.js";

/** A stream that keeps what is written to it (not a terminal). */
export function captureStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join("") };
}

/** A Ui without a terminal whose stdout and stderr the test can read. */
export function captureUi(options: Omit<UiOptions, "stdout" | "stderr"> = {}) {
  const stdout = captureStream();
  const stderr = captureStream();
  const ui = new Ui({ color: false, env: {}, ...options, stdout: stdout.stream, stderr: stderr.stream });
  return { ui, stdout: stdout.text, stderr: stderr.text, all: () => `${stdout.text()}\n${stderr.text()}` };
}
