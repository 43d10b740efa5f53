import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { findTemplate, TEMPLATES, type Template } from "../../../src/scaffold/registry.js";
import { placeholders, renderTemplate } from "../../../src/scaffold/render.js";
import { toPackageName } from "../../../src/scaffold/variables.js";
import { tempDir as makeTempDir } from "../../helpers/dev-tenant.js";

const created: string[] = [];
async function tempDir(prefix?: string): Promise<string> {
  const dir = await makeTempDir(prefix);
  created.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/** A tiny template of our own, so the renderer's rules are tested apart from the real templates. */
async function fixtureTemplate(): Promise<Template> {
  const dir = await tempDir("mcp-entra-template-");
  await mkdir(join(dir, "src"), { recursive: true });
  await mkdir(join(dir, "node_modules", "x"), { recursive: true });
  await writeFile(join(dir, "package.json"), '{ "name": "{{projectName}}", "port": "{{port}}" }\n');
  await writeFile(join(dir, "gitignore"), ".env\n");
  await writeFile(join(dir, "src", "main.ts"), 'const expression = "{{ vars.KEEP_ME }}";\n');
  await writeFile(join(dir, "logo.bin"), Buffer.from([0, 1, 2, 123, 123]));
  await writeFile(join(dir, ".env"), "SECRET=do-not-copy\n");
  await writeFile(join(dir, "node_modules", "x", "index.js"), "");
  const remote = findTemplate("remote");
  return { ...remote, name: "fixture", directory: dir, variables: remote.variables };
}

describe("renderTemplate", () => {
  it("writes every file with its variables filled in, renames gitignore, skips what must not be copied", async () => {
    const template = await fixtureTemplate();
    const target = join(await tempDir(), "My Server");
    const result = await renderTemplate({ template, targetDir: target, variables: { port: 4000 } });
    expect(result.files).toEqual([".gitignore", "logo.bin", "package.json", "src/main.ts"]);
    expect((await filesUnder(target)).sort()).toEqual([
      ".gitignore",
      "logo.bin",
      "package.json",
      "src/main.ts",
    ]);
    expect(JSON.parse(await readFile(join(target, "package.json"), "utf8"))).toEqual({
      name: "my-server",
      port: "4000",
    });
    expect(await readFile(join(target, "src", "main.ts"), "utf8")).toContain("{{ vars.KEEP_ME }}");
    expect(await readFile(join(target, "logo.bin"))).toEqual(Buffer.from([0, 1, 2, 123, 123]));
    expect(result.variables).toMatchObject({
      projectName: "my-server",
      port: "4000",
      serverUrl: "http://localhost:4000/mcp",
    });
  });

  it("never writes into a non-empty folder without force", async () => {
    const template = await fixtureTemplate();
    const target = await tempDir();
    await writeFile(join(target, "keep.txt"), "mine");
    const attempt = renderTemplate({ template, targetDir: target });
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(attempt).rejects.toMatchObject({
      code: "TARGET_NOT_EMPTY",
      suggestion: expect.stringContaining("--force"),
    });
    expect(await readdir(target)).toEqual(["keep.txt"]);

    const forced = await renderTemplate({ template, targetDir: target, force: true });
    expect(forced.files).toContain("package.json");
    expect(await readFile(join(target, "keep.txt"), "utf8")).toBe("mine");
  });

  it("refuses unknown templates, unknown variables and invalid values, naming them", async () => {
    const targetDir = join(await tempDir(), "x");
    await expect(renderTemplate({ template: "nope", targetDir })).rejects.toMatchObject({
      code: "UNKNOWN_TEMPLATE",
    });
    const invalid: [Record<string, string>, RegExp][] = [
      [{ colour: "red" }, /colour/],
      [{ projectName: "My Server" }, /projectName/],
      [{ port: "70000" }, /port/],
      [{ serverUrl: "http://example.com/mcp" }, /serverUrl .* https, or http on localhost/],
      [{ serverUrl: "https://example.com/mcp?x=1" }, /query/],
      [{ mcpEntraDependency: '^1"' }, /mcpEntraDependency/],
    ];
    for (const [variables, message] of invalid) {
      await expect(renderTemplate({ template: "remote", targetDir, variables })).rejects.toThrow(message);
    }
  });

  it("canonicalises the server URL and derives a package name from the folder", async () => {
    const target = join(await tempDir(), "Contoso.Tools MCP");
    const result = await renderTemplate({
      template: await fixtureTemplate(),
      targetDir: target,
      variables: { serverUrl: "https://mcp.contoso.com/mcp/" },
    });
    expect(result.variables.serverUrl).toBe("https://mcp.contoso.com/mcp");
    expect(result.variables.projectName).toBe("contoso.tools-mcp");
    expect(toPackageName("__")).toBe("mcp-server");
  });
});

describe("the template registry", () => {
  it("lists remote, and every template uses only the variables it declares", async () => {
    expect(TEMPLATES.map((template) => template.name)).toContain("remote");
    for (const template of TEMPLATES) {
      const declared = new Set(template.variables.map((variable) => variable.name));
      for (const file of await filesUnder(template.directory)) {
        if (file.split("/").some((segment) => segment === "node_modules" || segment === "dist")) continue;
        for (const name of placeholders(await readFile(join(template.directory, file), "utf8"))) {
          expect(declared.has(name), `${template.name}/${file} uses {{${name}}}`).toBe(true);
        }
      }
    }
  });

  it("renders proxy as remote's files with proxy's own added and replacing same-named ones", async () => {
    const render = async (template: string) =>
      renderTemplate({
        template,
        targetDir: join(await tempDir(), template),
        variables: { projectName: "p" },
      });
    const remote = await render("remote");
    const proxy = await render("proxy");
    const own = await filesUnder(findTemplate("proxy").directory);
    expect(own).not.toContain(join("src", "logger.ts"));
    const renamed = own.map((file) => (file === "gitignore" ? ".gitignore" : file.split("\\").join("/")));
    expect(proxy.files).toEqual([...new Set([...remote.files, ...renamed])].sort());
    const text = (dir: string, file: string) => readFile(join(dir, file), "utf8");
    // Taken from remote as it is…
    expect(await text(proxy.targetDir, "src/logger.ts")).toBe(await text(remote.targetDir, "src/logger.ts"));
    // …or replaced by proxy's own.
    expect(await text(proxy.targetDir, "src/app.ts")).toBe(
      await text(findTemplate("proxy").directory, "src/app.ts"),
    );
    expect(await text(proxy.targetDir, "src/app.ts")).not.toBe(await text(remote.targetDir, "src/app.ts"));
  });

  it("makes generated projects depend on this version of mcp-entra from npm, not on a path of this machine", async () => {
    const target = join(await tempDir(), "p");
    const { variables } = await renderTemplate({ template: "remote", targetDir: target });
    const pkg = JSON.parse(await readFile(join(target, "package.json"), "utf8"));
    const ours = JSON.parse(await readFile(new URL("../../../package.json", import.meta.url), "utf8"));
    expect(pkg.devDependencies["mcp-entra"]).toBe(`^${ours.version}`);
    expect(variables.mcpEntraDependency).toBe(`^${ours.version}`);
    expect(await readFile(join(target, ".vscode", "mcp.json"), "utf8")).toContain(
      '"url": "http://localhost:3000/mcp"',
    );
    expect(await readFile(join(target, ".env.example"), "utf8")).toMatch(
      /^MCP_SERVER_URL=http:\/\/localhost:3000\/mcp$/m,
    );
  });
});
