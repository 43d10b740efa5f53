import { appendFileSync } from "node:fs";

/**
 * TEST HOOK — off unless the environment variable MCP_ENTRA_SECRET_LEDGER names a file. Then the dev
 * tenant appends every client secret (addPassword) and every access, id and refresh token it issues
 * to that file (one per line, created 0600), so a test suite can prove that none of them reached an
 * output it captured (see test/setup/secret-ledger.ts). Never set it outside tests: the file holds
 * live credentials. Appends are synchronous so the value is on record before anyone can print it.
 */
export function recordIssuedSecret(value: string): void {
  const ledger = process.env.MCP_ENTRA_SECRET_LEDGER;
  if (ledger) appendFileSync(ledger, `${value}\n`, { mode: 0o600 });
}
