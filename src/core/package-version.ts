import { readFileSync } from "node:fs";

/** The version of this mcp-entra installation, from its package.json (src/core and dist/core are two levels down). */
export function readPackageVersion(): string {
  const url = new URL("../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
}
