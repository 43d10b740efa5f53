import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { readEnvFile } from "../core/env-file.js";
import { UsageError } from "../core/errors.js";
import { readProjectConfig } from "../core/project-config.js";
import type { Ui } from "../core/ui.js";
import { type RegisterResult, runRegister } from "../entra/registration/run-register.js";
import type { TenantTarget } from "../entra/tenant-target.js";
import { runInit } from "../scaffold/run-init.js";
import { choosePort, portIsFree } from "./free-port.js";

export interface QuickstartProject {
  dir: string;
  serverUrl: string;
  created: boolean;
  registration: RegisterResult;
}

const DEFAULT_PORT = 3000;

/**
 * The quickstart's project: a new `remote` project (init: render and register; npm install is left to
 * the user, see server-build.ts) in an empty or missing folder, or the same project again on a re-run
 * (register converges).
 * The server port is the recorded one when it is free, else 3000 or any free port.
 */
export async function prepareProject(
  dir: string,
  deps: { ui: Ui; target: () => Promise<TenantTarget> },
): Promise<QuickstartProject> {
  const empty = !existsSync(dir) || (await readdir(dir)).length === 0;
  if (empty) {
    const port = await choosePort(DEFAULT_PORT);
    const serverUrl = `http://localhost:${port}/mcp`;
    const name = /^[a-z0-9][a-z0-9._-]*$/.test(basename(dir)) ? basename(dir) : "mcp-entra-quickstart";
    const init = await runInit(
      { dir, name, template: "remote", port: String(port), serverUrl, register: true, install: false },
      { ui: deps.ui, target: deps.target },
    );
    return { dir, serverUrl, created: true, registration: init.registration! };
  }
  const config = await readProjectConfig(dir);
  if (!config.apps.remote || !existsSync(join(dir, "package.json"))) {
    throw new UsageError("QUICKSTART_DIR_IN_USE", `${dir} is not empty and is not a quickstart project.`, {
      suggestion: "pass another folder: mcp-entra quickstart <dir>",
    });
  }
  const recorded = (await readEnvFile(join(dir, ".env"))).MCP_SERVER_URL ?? config.apps.remote.serverUrl;
  const recordedPort = recorded ? Number(new URL(recorded).port) : Number.NaN;
  const port =
    recordedPort && (await portIsFree(recordedPort)) ? recordedPort : await choosePort(DEFAULT_PORT);
  const serverUrl = `http://localhost:${port}/mcp`;
  const registration = await runRegister({ preset: "remote", dir, serverUrl }, deps);
  return { dir, serverUrl, created: false, registration };
}
