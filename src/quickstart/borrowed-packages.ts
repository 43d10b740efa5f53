import { register } from "node:module";

/**
 * Loaded with `node --import` into a quickstart server whose project has no node_modules yet: the
 * server's own imports resolve as usual, and a bare package name that is not found there falls back
 * to this mcp-entra installation's packages (see borrowed-packages-hooks.ts). mcp-entra depends on
 * every runtime package of the `remote` template with the same version ranges (a test checks that),
 * so the quickstart server runs without waiting for npm install.
 */
register("./borrowed-packages-hooks.js", import.meta.url, {
  data: { parentURL: new URL("../../package.json", import.meta.url).href },
});
