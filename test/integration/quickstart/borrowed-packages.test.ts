import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { BORROWED_PACKAGES_URL } from "../../../src/quickstart/server-process.js";
import { MCP_ENTRA_ROOT } from "../../../src/scaffold/variables.js";
import { tempDir } from "../../helpers/dev-tenant.js";

/**
 * quickstart runs a project that has no node_modules yet: its imports fall back to mcp-entra's own
 * packages (`node --import dist/quickstart/borrowed-packages.js`). Only missing bare packages move.
 */
describe("a quickstart project borrows mcp-entra's packages until npm install", () => {
  let project: string;

  const runScript = async (source: string, borrow = true): Promise<{ code: number; output: string }> => {
    await writeFile(join(project, "probe.mjs"), source);
    const preload = borrow ? ["--import", BORROWED_PACKAGES_URL] : [];
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [...preload, "probe.mjs"], {
        cwd: project,
        env: { PATH: process.env.PATH },
      });
      return { code: 0, output: `${stdout}${stderr}` };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? 1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
    }
  };

  beforeAll(async () => {
    project = await tempDir("mcp-entra-borrow-");
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "p", type: "module" }));
  });

  it("resolves the template's runtime packages from mcp-entra, and only with the hook", async () => {
    const source = [
      'import express from "express";',
      'import { jwtVerify } from "jose";',
      'import { McpServer } from "@modelcontextprotocol/server";',
      'import { toNodeHandler } from "@modelcontextprotocol/node";',
      'console.log(typeof express, typeof jwtVerify, typeof McpServer, typeof toNodeHandler, import.meta.resolve("express"));',
    ].join("\n");
    const borrowed = await runScript(source);
    expect(borrowed.code, borrowed.output).toBe(0);
    expect(borrowed.output).toMatch(/^function function function function file:\/\//);
    expect(borrowed.output).toContain(`${MCP_ENTRA_ROOT.href}node_modules/express/`);

    const plain = await runScript(source, false);
    expect(plain.code).not.toBe(0);
    expect(plain.output).toContain("ERR_MODULE_NOT_FOUND");
  });

  it("prefers the project's own packages, and leaves unknown packages and relative paths failing", async () => {
    await mkdir(join(project, "node_modules", "zod"), { recursive: true });
    await writeFile(
      join(project, "node_modules", "zod", "package.json"),
      JSON.stringify({ name: "zod", type: "module", exports: "./index.js" }),
    );
    await writeFile(join(project, "node_modules", "zod", "index.js"), 'export const origin = "project";\n');
    const own = await runScript('import { origin } from "zod"; console.log(origin);');
    expect(own.output.trim()).toBe("project");

    const unknown = await runScript('await import("no-such-package-anywhere-mcp-entra");');
    expect(unknown.code).not.toBe(0);
    expect(unknown.output).toContain("ERR_MODULE_NOT_FOUND");
    const relative = await runScript('await import("./missing.js");');
    expect(relative.code).not.toBe(0);
    expect(relative.output).toContain(join(project, "missing.js"));
  });

  it("has what the remote template needs: mcp-entra depends on each of its packages with the same range", async () => {
    const read = async (path: string) =>
      JSON.parse(await readFile(new URL(path, MCP_ENTRA_ROOT), "utf8")) as {
        dependencies: Record<string, string>;
      };
    const template = await read("templates/remote/package.json");
    const own = await read("package.json");
    for (const [name, range] of Object.entries(template.dependencies)) {
      expect(own.dependencies[name], `${name} in mcp-entra's dependencies`).toBe(range);
    }
  });
});
