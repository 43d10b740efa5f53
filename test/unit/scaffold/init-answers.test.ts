import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { parseOptions } from "../../../src/core/parse-options.js";
import { resolveInitAnswers } from "../../../src/scaffold/init-answers.js";
import { initOptionsSchema } from "../../../src/scaffold/init-options.js";
import { captureUi } from "../../helpers/capture-ui.js";
import { tempDir } from "../../helpers/dev-tenant.js";

/** How `init` fills in what the flags leave open, without a terminal (as in CI). */
describe("init answers", () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await tempDir("mcp-entra-init-answers-");
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  const answers = async (raw: Record<string, unknown>, yes = false) =>
    resolveInitAnswers(parseOptions(initOptionsSchema, raw), captureUi({ yes }).ui, cwd);
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error("expected a usage error");
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(UsageError);
        return (error as UsageError).message + (error as UsageError).suggestion;
      },
    );

  it("--yes takes the defaults a user expects", async () => {
    const result = await answers({}, true);
    expect(result).toMatchObject({
      targetDir: join(cwd, "my-mcp-server"),
      projectName: "my-mcp-server",
      port: "3000",
      serverUrl: "http://localhost:3000/mcp",
      register: true,
      install: true,
    });
    expect(result.template.name).toBe("remote");
  });

  it("the folder defaults to the name, and the name to the folder", async () => {
    expect(await answers({ name: "@acme/tools-server" }, true)).toMatchObject({
      targetDir: join(cwd, "tools-server"),
      projectName: "@acme/tools-server",
    });
    expect(await answers({ dir: "nested/My Server" }, true)).toMatchObject({
      targetDir: join(cwd, "nested", "My Server"),
      projectName: "my-server",
    });
  });

  it("takes the port from a localhost --server-url, and refuses a port that disagrees with it", async () => {
    expect(await answers({ serverUrl: "http://localhost:4500/mcp/" }, true)).toMatchObject({
      port: "4500",
      serverUrl: "http://localhost:4500/mcp",
    });
    expect(await answers({ serverUrl: "https://mcp.contoso.com/mcp", port: 8080 }, true)).toMatchObject({
      port: "8080",
      serverUrl: "https://mcp.contoso.com/mcp",
    });
    const message = await failure(answers({ serverUrl: "http://localhost:4500/mcp", port: "4600" }, true));
    expect(message).toMatch(/^--port: 4600 differs from the port of --server-url/);
  });

  it("without a terminal names every missing flag at once, but assumes port and URL", async () => {
    const message = await failure(answers({ dir: "x", template: "remote" }));
    expect(message).toContain("--[no-]register and --[no-]install are required here");
    expect(message).not.toContain("--port");
    const all = await failure(answers({}));
    expect(all).toMatch(/^--name <name> \(or a \[dir\] argument\), --template <[a-z|]+>, --\[no-\]register/);
  });

  it("checks the folder before asking anything else: a non-empty one needs --force", async () => {
    await mkdir(join(cwd, "taken"), { recursive: true });
    await writeFile(join(cwd, "taken", "notes.txt"), "mine\n");
    expect(await failure(answers({ dir: "taken" }))).toContain("--force");
    expect(await answers({ dir: "taken", force: true }, true)).toMatchObject({ projectName: "taken" });
  });

  it("reports bad flags together, each by its name", async () => {
    const message = await failure(answers({ name: "Bad Name", port: "70000", template: "nope" }, true));
    expect(message).toContain("--name: must be a valid npm package name");
    expect(message).toContain("--port: must be a port number");
    expect(message).toMatch(/--template: must be one of [a-z, ]*remote/);
  });
});
