// `npm run build`, after tsc: esbuild bundles what runs at start-up, because on Node 20 (no compile
// cache) every ESM module costs a resolve, a read and a compile, and a command loaded ~230 of them.
// - dist/bundle/: what bin/mcp-entra.js runs, split into chunks along the CLI's lazy `import()`s
//   (--help loads the program alone, test-flow its own chunks). dist/ as tsc wrote it stays for
//   library users (package.json `exports`). Each module's `import.meta.url` stays the URL of its
//   file in dist/, so paths found from it (bin/, package.json, templates/) still hold.
// - templates/remote/dist/main.js: mcp-entra's build of the `remote` template, one file with its
//   packages (mcp-entra's, same ranges), which quickstart places in a new project's dist/ so that it
//   runs before the project's npm install.
import { readFile, writeFile } from "node:fs/promises";
import { dirname, relative } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const bundleDir = `${root}dist/bundle`;

/** In a bundled module of dist/, `import.meta.url` is rewritten to its own file's URL in dist/. */
const ownImportMetaUrl = {
  name: "own-import-meta-url",
  setup(esbuild) {
    esbuild.onLoad({ filter: /\/dist\/.*\.js$/ }, async ({ path }) => {
      const source = await readFile(path, "utf8");
      if (!source.includes("import.meta.url")) return undefined;
      const own = relative(bundleDir, path);
      const url = `new URL(${JSON.stringify(own)}, import.meta.url).href`;
      return { contents: source.replaceAll("import.meta.url", url), loader: "js", resolveDir: dirname(path) };
    });
  },
};

const node = {
  absWorkingDir: root,
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

const [cli] = await Promise.all([
  build({
    ...node,
    entryPoints: { cli: "dist/cli/main.js" },
    outdir: "dist/bundle",
    splitting: true,
    chunkNames: "[name]-[hash]",
    // `open` runs a script that ships beside it, found from its own location.
    external: ["open"],
    plugins: [ownImportMetaUrl],
    metafile: true,
  }),
  build({
    ...node,
    entryPoints: ["templates/remote/src/main.ts"],
    outfile: "templates/remote/dist/main.js",
    tsconfig: "templates/remote/tsconfig.build.json",
  }),
]);
// Which modules each chunk holds, for tests that check what a command loads (not shipped).
await writeFile(`${bundleDir}/meta.json`, JSON.stringify(cli.metafile));
