import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { TEMPLATES } from "../../../src/scaffold/registry.js";
import { renderTemplate } from "../../../src/scaffold/render.js";
import { tempDir } from "../../helpers/dev-tenant.js";
import { grantsIdToken, readWorkflow, referencedNames } from "../../helpers/github-workflow.js";

/**
 * Each template's `.github/workflows/ci.yml`, as rendered, against GitHub's workflow schema (the
 * SchemaStore schema that action-validator embeds); test/e2e/ci-workflow.test.ts runs it.
 */
describe("the generated CI workflow", () => {
  const rendered = async (template: string) => {
    const targetDir = join(await tempDir(), template);
    await renderTemplate({ template, targetDir, variables: { projectName: "p" } });
    return readFile(join(targetDir, ".github", "workflows", "ci.yml"), "utf8");
  };

  it.each(TEMPLATES.map((template) => template.name))(
    "of %s is a valid GitHub Actions workflow",
    async (name) => {
      const { errors } = validateWorkflow(await rendered(name));
      expect(errors).toEqual([]);
    },
  );

  it("the validator refuses a workflow GitHub would refuse (a job without runs-on)", async () => {
    const broken = (await rendered("remote")).replace(
      /^(\s+)runs-on: ubuntu-latest$/m,
      "$1runs_on: ubuntu-latest",
    );
    const { errors } = validateWorkflow(broken);
    expect(JSON.stringify(errors)).toContain("runs-on");
  });

  it("reads only the repository variables the remote README tells users to set, and no secrets", async () => {
    const workflow = await rendered("remote");
    expect(referencedNames(workflow, "vars").sort()).toEqual(["ENTRA_CI_CLIENT_ID", "MCP_SERVER_URL"]);
    expect(referencedNames(workflow, "secrets")).toEqual([]);
    const readme = await readFile(
      join(TEMPLATES.find((t) => t.name === "remote")!.directory, "README.md"),
      "utf8",
    );
    for (const name of referencedNames(workflow, "vars")) expect(readme).toContain(`\`${name}\``);
    // The smoke job may ask GitHub for an OIDC token; the build job may not.
    const model = readWorkflow(workflow);
    expect(model.jobs.map((job) => [job.id, grantsIdToken(model, job)])).toEqual([
      ["build-and-test", false],
      ["smoke", true],
    ]);
  });
});
