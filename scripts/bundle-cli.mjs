// `npm run build`, after tsc: bundles what bin/mcp-entra.js runs into dist/bundle/ with esbuild, so
// that a command loads a handful of files instead of a few hundred modules (Node 20 has no compile
// cache, and each ESM module costs a resolve, a read and a compile). The chunks are split along the
// CLI's lazy `import()`s: --help loads the program alone, test-flow its own chunks. dist/ as tsc
// wrote it stays for library users (package.json `exports`). Chunks sit two levels below the package
// root, as tsc's files do, so their `new URL("../../…", import.meta.url)` paths still hold.
import { build } from "esbuild";

const root = new URL("..", import.meta.url);

await build({
  absWorkingDir: root.pathname,
  entryPoints: { cli: "dist/cli/main.js" },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  chunkNames: "[name]-[hash]",
  // `open` runs a script that ships beside it, found from its own location.
  external: ["open"],
  // Bundled CommonJS packages require Node's built-ins.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
  logLevel: "warning",
  legalComments: "none",
});
