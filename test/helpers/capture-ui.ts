import { Writable } from "node:stream";
import { Ui, type UiOptions } from "../../src/core/ui.js";
import { type CaptureOptions, outputRecorder } from "./output-ledger.js";

type Recorder = ReturnType<typeof outputRecorder>;

/** A stream that keeps what is written to it (not a terminal), also for the suite's secret scan. */
export function captureStream(recorder: Recorder = outputRecorder("stream")): {
  stream: NodeJS.WriteStream;
  text: () => string;
} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      recorder.append(String(chunk));
      callback();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join("") };
}

/**
 * A Ui without a terminal whose stdout and stderr the test can read. A test that asks to see a
 * secret (`showSecret`) passes `{ allowSecrets: true }` so the suite's secret scan skips this output.
 */
export function captureUi(options: Omit<UiOptions, "stdout" | "stderr"> = {}, capture: CaptureOptions = {}) {
  const recorder = outputRecorder("ui", capture);
  const stdout = captureStream(recorder);
  const stderr = captureStream(recorder);
  const ui = new Ui({ color: false, env: {}, ...options, stdout: stdout.stream, stderr: stderr.stream });
  return { ui, stdout: stdout.text, stderr: stderr.text, all: () => `${stdout.text()}\n${stderr.text()}` };
}
