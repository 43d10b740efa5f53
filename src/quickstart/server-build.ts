import { existsSync } from "node:fs";
import { cp, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { OperationError } from "../core/errors.js";
import type { Ui } from "../core/ui.js";
import { npmStep } from "../scaffold/install.js";
import { MCP_ENTRA_ROOT } from "../scaffold/variables.js";

/**
 * mcp-entra's build of the `remote` template (`npm run build` bundles templates/remote/src next to it,
 * scripts/bundle.mjs): one dist/main.js holding the server and its packages, so that it starts before
 * the project's npm install, and quickly (no module loader hooks, a few hundred fewer modules).
 */
export const PREBUILT_REMOTE_SERVER = fileURLToPath(new URL("templates/remote/dist/", MCP_ENTRA_ROOT));

export interface ServerBuild {
  /**
   * `project`: built now by its `npm run build`; `mcp-entra`: mcp-entra's build of the template copied
   * in; `as found`: the dist/ already there (the project is installed without TypeScript).
   */
  builtBy: "project" | "mcp-entra" | "as found";
  /** `project`: its own node_modules; `mcp-entra`: none yet, mcp-entra's (bundled in its build) stand in. */
  packagesFrom: "project" | "mcp-entra";
}

/**
 * Gets a quickstart project's dist/ ready to run without waiting for npm, which takes 15 s or more
 * on a small machine: a project whose dependencies are installed builds itself (so edits count), and
 * one without them gets mcp-entra's build of the template, which carries mcp-entra's packages, until
 * `npm install` and `npm run build` run there.
 */
export async function prepareServerBuild(dir: string, ui: Ui): Promise<ServerBuild> {
  const installed = existsSync(join(dir, "node_modules"));
  if (installed && existsSync(join(dir, "node_modules", ".bin", "tsc"))) {
    await npmStep(dir, ["run", "build"], {
      ui,
      doing: "Building the server (npm run build)",
      done: "Built the server",
    });
    return { builtBy: "project", packagesFrom: "project" };
  }
  if (installed && existsSync(join(dir, "dist", "main.js"))) {
    return { builtBy: "as found", packagesFrom: "project" };
  }
  const spinner = await ui.spinner("Placing mcp-entra's build of the server in dist/");
  await placePrebuiltServer(dir).catch((error: unknown) => {
    spinner.fail();
    throw error;
  });
  spinner.succeed(
    "Placed mcp-entra's build of the server in dist/ (bundled with its packages; npm run build replaces it)",
  );
  return { builtBy: "mcp-entra", packagesFrom: installed ? "project" : "mcp-entra" };
}

async function placePrebuiltServer(dir: string): Promise<void> {
  if (!existsSync(join(PREBUILT_REMOTE_SERVER, "main.js"))) {
    throw new OperationError(
      "PREBUILT_SERVER_MISSING",
      `mcp-entra's build of the remote template is missing (${PREBUILT_REMOTE_SERVER}).`,
      { suggestion: `run \`npm run build\` in ${fileURLToPath(MCP_ENTRA_ROOT)}, then quickstart again.` },
    );
  }
  await rm(join(dir, "dist"), { recursive: true, force: true });
  await cp(PREBUILT_REMOTE_SERVER, join(dir, "dist"), { recursive: true });
}
