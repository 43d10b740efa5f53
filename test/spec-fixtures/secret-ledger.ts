import { appendFileSync } from "node:fs";

/**
 * The suite's secret ledger (test/setup/secret-ledger.ts): every secret and token these fixtures issue is
 * appended, one a line, so a client that prints one fails the run. Outside vitest the variable is unset.
 */
export function recordIssuedSecret(value: string): void {
  const ledger = process.env.MCP_ENTRA_SECRET_LEDGER;
  if (ledger) appendFileSync(ledger, `${value}\n`);
}
