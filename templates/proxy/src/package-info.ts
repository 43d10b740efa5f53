import { readFileSync } from "node:fs";

/** This project's name and version, from package.json (one level above src/ and dist/). */
export const packageInfo = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  name: string;
  version: string;
};
