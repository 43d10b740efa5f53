import { rm } from "node:fs/promises";
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

/**
 * The `remote` template rendered, installed and built once per test file, registered in the test's dev
 * tenant with the real `register` (remote, and ci in the same project; local in a client folder), and
 * its built server running on http://localhost:<free port>/mcp with the .env register wrote.
 */
export interface RemoteProject {
  dir: string;
  /** A folder holding the `local` preset's registration: a public client for sign-in tests. */
  clientDir: string;
  url: string;
  /** The mcp-entra home of the tenant (test-flow finds its CA and admin token there). */
  home: string;
  server: SpawnedServer;
  register(flags: Record<string, unknown>, dir?: string): Promise<RegisterResult>;
  env(dir?: string): Promise<Record<string, string>>;
  /** appId or Graph object id of a preset's app, from mcp-entra.json. */
  app(preset: "remote" | "ci" | "local"): Promise<{ appId: string; objectId: string }>;
  /** Restarts the server (it reads .env again). */
  restart(): Promise<void>;
}

export function useRemoteProject(tenant: () => DevTenant): () => RemoteProject {
  let project: RemoteProject | undefined;
  const folders: string[] = [];
  beforeAll(async () => {
    const root = await tempDir("mcp-entra-remote-flow-");
    const clientDir = await tempDir("mcp-entra-remote-client-");
    const signInHome = await tempDir();
    folders.push(root, clientDir, signInHome);
    const dir = join(root, "remote-flow");
    await renderAndInstall("remote", dir, { projectName: "remote-flow", port: "3000" });
    await run("npm", ["run", "build"], { cwd: dir });
    const url = `http://localhost:${await freePort()}/mcp`;
    const register = (flags: Record<string, unknown>, folder = dir) =>
      runRegister(
        { dir: folder, ...(flags.preset === "remote" ? { serverUrl: url } : {}), ...flags },
        { ui: captureUi().ui, target: async () => devTarget(tenant(), signInHome) },
      );
    await register({ preset: "remote" });
    await register({ preset: "ci" });
    await register({ preset: "local" }, clientDir);
    project = {
      dir,
      clientDir,
      url,
      home: dirname(tenant().dir),
      server: await spawnServer(dir, {}),
      register: (flags, folder) =>
        register(
          { preset: "remote", ...flags, ...(flags.preset === undefined ? { serverUrl: url } : {}) },
          folder,
        ),
      env: (folder = dir) => readEnvFile(join(folder, ".env")),
      app: async (preset) => {
        const record = (await readProjectConfig(preset === "local" ? clientDir : dir)).apps[preset]!;
        return { appId: record.appId!, objectId: record.objectId! };
      },
      restart: async () => {
        await project!.server.stop();
        project!.server = await spawnServer(dir, {});
      },
    };
  }, 400_000);
  afterAll(async () => {
    await project?.server.stop("SIGKILL");
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });
  return () => {
    if (!project) throw new Error("The remote project is not ready");
    return project;
  };
}
