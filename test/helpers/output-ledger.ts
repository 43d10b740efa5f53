import { createHash } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { expect } from "vitest";

/**
 * Keeps what the test helpers captured (stdout, stderr, logs, reports) as files in the folder that
 * test/setup/secret-ledger.ts names in MCP_ENTRA_TEST_OUTPUTS; after the run every file is scanned for
 * the secrets and tokens the dev tenant issued. A capture of a test that asks to see a secret
 * (`--show-secret`) is marked `allowSecrets` and is not scanned.
 */

export interface CaptureOptions {
  /** The test asked for a secret to be shown (e.g. `--show-secret`): this capture may contain it. */
  allowSecrets?: boolean;
}

let sequence = 0;

/** A file for one capture; `append` adds what was captured (nothing is kept outside a vitest run). */
export function outputRecorder(label: string, options: CaptureOptions = {}): { append(text: string): void } {
  const folder = process.env.MCP_ENTRA_TEST_OUTPUTS;
  if (!folder) return { append() {} };
  const slug = label.replace(/[^\w.-]+/g, "_").slice(0, 60);
  const file = join(
    folder,
    `${process.pid}-${++sequence}-${slug}${options.allowSecrets ? ".allowed" : ""}.txt`,
  );
  const state = expect.getState();
  let started = false;
  return {
    append(text: string) {
      if (!started) {
        started = true;
        appendFileSync(file, `# ${state.testPath ?? "?"} > ${state.currentTestName ?? "(hook)"}: ${label}\n`);
      }
      appendFileSync(file, text);
    },
  };
}

/** Records one finished capture. */
export function recordOutput(label: string, text: string, options: CaptureOptions = {}): void {
  if (text) outputRecorder(label, options).append(text);
}

/**
 * The log of a dev tenant started in the background in `home` (`tenant start --detach` writes its
 * output there), kept as it is now: one file per home, replaced on each call.
 */
export function keepTenantLog(home: string): void {
  const folder = process.env.MCP_ENTRA_TEST_OUTPUTS;
  const log = join(home, "dev-tenant", "tenant.log");
  if (!folder || !existsSync(log)) return;
  const key = createHash("sha256").update(home).digest("hex").slice(0, 12);
  writeFileSync(
    join(folder, `tenant-log-${key}.txt`),
    `# tenant.log of ${home}\n${readFileSync(log, "utf8")}`,
  );
}

/** Reads a report a command wrote (JUnit XML, JSON), keeping it for the secret scan. */
export async function readReport(path: string): Promise<string> {
  const text = await readFile(path, "utf8");
  recordOutput(`report ${basename(path)}`, text);
  return text;
}
