// `npm run build`, after tsc: esbuild bundles what runs at start-up, because on Node 20 (no compile
// cache) every ESM module costs a resolve, a read and a compile, and a command loaded ~230 of them.
// - dist/bundle/: what bin/mcp-entra.js runs, split into chunks along the CLI's lazy `import()`s
//   (--help loads the program alone, test-flow its own chunks). dist/ as tsc wrote it stays for
//   library users (package.json `exports`). The chunks sit two levels below the package root, as
//   tsc's files do, so their `new URL("../../…", import.meta.url)` paths still hold.
// - templates/remote/dist/main.js: mcp-entra's build of the `remote` template, one file with its
//   packages (mcp-entra's, same ranges), which quickstart places in a new project's dist/ so that it
//   runs before the project's npm install.
import { build } from "esbuild";

const node = {
  absWorkingDir: new URL("..", import.meta.url).pathname,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Bundled CommonJS packages require Node's built-ins.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
  logLevel: "warning",
  legalComments: "none",
};

await Promise.all([
  build({
    ...node,
    entryPoints: { cli: "dist/cli/main.js" },
    outdir: "dist/bundle",
    splitting: true,
    chunkNames: "[name]-[hash]",
    // `open` runs a script that ships beside it, found from its own location.
    external: ["open"],
  }),
  build({
    ...node,
    entryPoints: ["templates/remote/src/main.ts"],
    outfile: "templates/remote/dist/main.js",
    tsconfig: "templates/remote/tsconfig.build.json",
  }),
]);
