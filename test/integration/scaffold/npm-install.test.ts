import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { installDependencies } from "../../../src/scaffold/install.js";
import { captureUi } from "../../helpers/capture-ui.js";
import { tempDir } from "../../helpers/dev-tenant.js";

/**
 * init's `npm install` in a generated project, through the registry of this run (which serves this
 * build as mcp-entra: test/setup/packed-package.ts). A range npm cannot find is what a user of an
 * unpublished build of mcp-entra meets; the error says how to get past it.
 */
describe("installing a generated project's dependencies", () => {
  it("when npm finds no mcp-entra in the range, says how to install an unpublished build", async () => {
    const dir = await tempDir("mcp-entra-npm-install-");
    await writeFile(
      join(dir, "package.json"),
      JSON.stringify({ name: "p", private: true, devDependencies: { "mcp-entra": "^999.0.0" } }),
    );
    const { ui, all } = captureUi();
    const failed = installDependencies(dir, { ui });
    await expect(failed).rejects.toMatchObject({
      code: "NPM_FAILED",
      suggestion: expect.stringMatching(/is not on the npm registry npm uses: .*npm pack.*npm install -D/),
    });
    expect(all()).toMatch(/ETARGET|No matching version found for mcp-entra@\^999\.0\.0/);
  }, 120_000);
});
