import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Leak, LeakScanner, redact } from "./leak-scan.js";

/**
 * vitest globalSetup: secrets never leak, suite-wide. Before any test, a ledger file and an outputs
 * folder are created and named in MCP_ENTRA_SECRET_LEDGER and MCP_ENTRA_TEST_OUTPUTS, which every
 * worker and child process inherits. Dev tenants then record each secret and token they issue in the
 * ledger (src/tenant/secret-ledger.ts); the capture helpers (test/helpers/output-ledger.ts) keep what
 * they captured in the outputs folder. After the run, every output not marked `.allowed` is scanned
 * for every ledger value, and the run fails naming the first leaks and their files.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), "mcp-entra-ledger-"));
  const ledger = join(root, "ledger");
  const outputs = join(root, "outputs");
  await writeFile(ledger, "", { mode: 0o600 });
  await mkdir(outputs, { mode: 0o700 });
  process.env.MCP_ENTRA_SECRET_LEDGER = ledger;
  process.env.MCP_ENTRA_TEST_OUTPUTS = outputs;

  return async function teardown() {
    const started = performance.now();
    let keep = false;
    try {
      const scanner = new LeakScanner(await readFile(ledger, "utf8"));
      const files = (await readdir(outputs)).filter((name) => !name.includes(".allowed."));
      const leaks: Leak[] = [];
      let bytes = 0;
      for (const name of files) {
        const text = await readFile(join(outputs, name), "utf8");
        bytes += text.length;
        const header = text.slice(0, text.indexOf("\n"));
        for (const value of scanner.find(text)) leaks.push({ file: `${name} (${header})`, value });
      }
      const ms = Math.round(performance.now() - started);
      process.stderr.write(
        `secret ledger: ${scanner.size} issued secrets and tokens, ${files.length} captured outputs ` +
          `(${(bytes / 1e6).toFixed(1)} MB) scanned in ${ms} ms; ${leaks.length} leaks\n`,
      );
      if (leaks.length > 0) {
        keep = true;
        // vitest reports an error thrown here ("error during close") but exits 0: the exit code fails the run.
        process.exitCode = 1;
        const shown = leaks.slice(0, 5).map((leak) => `  ${redact(leak.value)} in ${leak.file}`);
        throw new Error(
          `Issued secrets or tokens appear in captured output (${leaks.length}; the outputs are kept in ${outputs}):\n${shown.join("\n")}`,
        );
      }
    } finally {
      delete process.env.MCP_ENTRA_SECRET_LEDGER;
      delete process.env.MCP_ENTRA_TEST_OUTPUTS;
      // The ledger holds live values: it never outlives the run. The outputs stay when they leaked.
      await rm(keep ? ledger : root, { recursive: true, force: true });
    }
  };
}
