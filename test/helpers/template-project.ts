import { appendFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { readEnvFile } from "../../src/core/env-file.js";
import { readProjectConfig } from "../../src/core/project-config.js";
import { type RegisterResult, runRegister } from "../../src/entra/registration/run-register.js";
import type { DevTenant } from "../../src/tenant/index.js";
import { captureUi } from "./capture-ui.js";
import { devTarget } from "./dev-target.js";
import { tempDir } from "./dev-tenant.js";
import { freePort, renderAndInstall, run, type SpawnedServer, spawnServer } from "./generated-project.js";

type Template = "local" | "remote" | "proxy";
type Preset = "local" | "remote" | "proxy" | "ci";

export interface TemplateProjectSetup {
  template: Template;
  /**
   * The registrations made with the real `register`, in order; `client: true` puts one in a folder of
   * its own (`clientDir`), e.g. the `local` preset as a public client next to a `remote` server.
   * Default: the template's own preset.
   */
  presets?: { preset: Preset; client?: boolean }[];
  /** Extra .env lines for the project (appended after register wrote it). */
  env?: (project: { dir: string; scratch: string }) => Record<string, string>;
}

/**
 * A scaffolded template rendered, installed (once per machine, see renderAndInstall) and built once per
 * test file, registered in the test's dev tenant with the real `register`. HTTP templates (`remote`,
 * `proxy`) run their built server on http://localhost:<free port>/mcp with the .env register wrote;
 * `local` is a stdio server that its client starts (`node dist/main.js` in `dir`).
 */
export interface TemplateProject {
  dir: string;
  /** A folder holding the registrations made with `client: true`. */
  clientDir: string;
  /** A temp folder for the test's own files (token caches, documents). */
  scratch: string;
  /** The MCP endpoint of an HTTP template (empty for `local`). */
  url: string;
  /** The mcp-entra home of the tenant (test-flow finds its CA and admin token there). */
  home: string;
  /** The running server of an HTTP template. */
  server: SpawnedServer;
  register(flags: Record<string, unknown>, dir?: string): Promise<RegisterResult>;
  env(dir?: string): Promise<Record<string, string>>;
  /** appId and Graph object id of a preset's app, from mcp-entra.json. */
  app(preset: Preset): Promise<{ appId: string; objectId: string }>;
  /** Restarts the server (it reads .env again). */
  restart(): Promise<void>;
}

export function useTemplateProject(
  tenant: () => DevTenant,
  setup: TemplateProjectSetup,
): () => TemplateProject {
  const { template } = setup;
  const presets = setup.presets ?? [{ preset: template }];
  const serves = template !== "local";
  let project: TemplateProject | undefined;
  let server: SpawnedServer | undefined;
  const folders: string[] = [];
  beforeAll(async () => {
    const root = await tempDir(`mcp-entra-${template}-flow-`);
    const clientDir = await tempDir(`mcp-entra-${template}-client-`);
    const signInHome = await tempDir();
    folders.push(root, clientDir, signInHome);
    const dir = join(root, `${template}-flow`);
    const scratch = join(root, "scratch");
    await renderAndInstall(template, dir, {
      projectName: `${template}-flow`,
      ...(serves ? { port: "3000" } : {}),
    });
    await run("npm", ["run", "build"], { cwd: dir });
    const url = serves ? `http://localhost:${await freePort()}/mcp` : "";
    const folderOf = (preset: Preset) =>
      presets.find((entry) => entry.preset === preset)?.client ? clientDir : dir;
    const register = (flags: Record<string, unknown>, folder = dir) => {
      const server = flags.preset === "remote" || flags.preset === "proxy";
      return runRegister(
        { dir: folder, ...(server && url ? { serverUrl: url } : {}), ...flags },
        { ui: captureUi().ui, target: async () => devTarget(tenant(), signInHome) },
      );
    };
    for (const { preset } of presets) await register({ preset }, folderOf(preset));
    const extra = setup.env?.({ dir, scratch }) ?? {};
    if (Object.keys(extra).length > 0) {
      const lines = Object.entries(extra).map(([name, value]) => `${name}=${value}\n`);
      await appendFile(join(dir, ".env"), lines.join(""));
    }
    // The dev tenant's CA, as `eval "$(mcp-entra tenant env)"` exports it before `npm start`.
    const trust = { NODE_EXTRA_CA_CERTS: tenant().caFile };
    const start = () => (serves ? spawnServer(dir, trust) : Promise.resolve(undefined));
    server = await start();
    project = {
      dir,
      clientDir,
      scratch,
      url,
      home: dirname(tenant().dir),
      get server() {
        if (!server) throw new Error(`The ${template} template runs no server of its own (stdio)`);
        return server;
      },
      register: (flags, folder) => register({ preset: template, ...flags }, folder),
      env: (folder = dir) => readEnvFile(join(folder, ".env")),
      app: async (preset) => {
        const record = (await readProjectConfig(folderOf(preset))).apps[preset]!;
        return { appId: record.appId!, objectId: record.objectId! };
      },
      restart: async () => {
        await server?.stop();
        server = await start();
      },
    };
  }, 400_000);
  afterAll(async () => {
    await server?.stop("SIGKILL");
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });
  return () => {
    if (!project) throw new Error(`The ${template} project is not ready`);
    return project;
  };
}
