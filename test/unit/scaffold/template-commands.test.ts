import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TEMPLATES } from "../../../src/scaffold/registry.js";
import { unknownCommandsAndFlags } from "../../helpers/cli-commands.js";

/** Every file a template generates that tells people (or CI) to run mcp-entra. */
async function filesMentioningMcpEntra(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.parentPath.includes("node_modules")) continue;
    const path = join(entry.parentPath, entry.name);
    if (/\.(md|ya?ml|json)$/.test(entry.name) && (await readFile(path, "utf8")).includes("mcp-entra ")) {
      found.push(path);
    }
  }
  return found;
}

describe("the mcp-entra commands the templates print and run", () => {
  it.each(TEMPLATES.map((template) => [template.name, template.directory]))(
    "%s names only real commands and flags",
    async (_name, directory) => {
      for (const file of await filesMentioningMcpEntra(directory)) {
        const commands = (await readFile(file, "utf8"))
          .replace(/\\\n\s*/g, " ")
          .split("\n")
          // Commands, not prose: `npx mcp-entra …`, or mcp-entra at the start of a line or a code span.
          .filter((line) => /(npx |^\s*|`)mcp-entra [a-z]/.test(line));
        for (const line of commands)
          expect(unknownCommandsAndFlags(line), `${file}: ${line.trim()}`).toEqual([]);
      }
    },
  );
});
