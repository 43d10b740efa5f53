// mcp-entra as its users get it, for the tests (vitest globalSetup) and the benchmarks: the package
// packed with `npm pack`, and an npm registry on 127.0.0.1 that serves that tarball as `mcp-entra`
// and sends every other request on to the real registry (a 307 redirect, so npm's cache still
// answers). With npm_config_registry pointing at it, a generated project's own package.json
// (`"mcp-entra": "^<version>"`) installs this build, as it will install the published one.
// Plain JavaScript (types in package-registry.d.mts) because bench/ runs without a TypeScript step.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";

/** `npm pack` of the package at `root` (scripts not run: it must be built already) into `destination`. */
export async function packPackage(root, destination) {
  await mkdir(destination, { recursive: true });
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const { stdout } = await promisify(execFile)(
    npm,
    ["pack", "--ignore-scripts", "--json", "--pack-destination", destination],
    { cwd: root, maxBuffer: 64 * 1024 * 1024, shell: process.platform === "win32" },
  );
  const [packed] = JSON.parse(stdout);
  const tarball = join(destination, packed.filename);
  const bytes = await readFile(tarball);
  return {
    tarball,
    manifest: JSON.parse(await readFile(join(root, "package.json"), "utf8")),
    integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
    files: packed.files.map((file) => file.path),
    size: packed.size,
  };
}

/** The registry npm is configured with here (npm sets npm_config_registry for the scripts it runs). */
export async function configuredRegistry() {
  if (process.env.npm_config_registry) return process.env.npm_config_registry;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const { stdout } = await promisify(execFile)(npm, ["config", "get", "registry"], {
    shell: process.platform === "win32",
  });
  return stdout.trim();
}

/** Serves `packed` (from packPackage) under its name; everything else is redirected to `upstream`. */
export async function startPackageRegistry(packed, upstream) {
  const { name, version } = packed.manifest;
  const bytes = await readFile(packed.tarball);
  const tarballPath = `/${name}/-/${name}-${version}.tgz`;
  const base = upstream.endsWith("/") ? upstream : `${upstream}/`;
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method === "GET" && decodeURIComponent(path) === `/${name}`) {
      // Never cached by npm: the next run serves another build under the same version.
      response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      response.end(JSON.stringify(packument(packed, `${origin()}${tarballPath}`, bytes)));
    } else if (request.method === "GET" && path === tarballPath) {
      response.writeHead(200, { "content-type": "application/octet-stream", "cache-control": "no-store" });
      response.end(bytes);
    } else {
      response.writeHead(307, { location: new URL((request.url ?? "/").slice(1), base).href });
      response.end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = () => `http://127.0.0.1:${server.address().port}`;
  return {
    url: `${origin()}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    unref: () => server.unref(),
  };
}

/** The registry document of a package with one version, as npm reads it to resolve a range. */
function packument(packed, tarballUrl, bytes) {
  const { manifest } = packed;
  const fields = [
    "name",
    "version",
    "description",
    "license",
    "type",
    "bin",
    "exports",
    "engines",
    "scripts",
  ];
  const dependencyFields = ["dependencies", "optionalDependencies", "peerDependencies"];
  const version = Object.fromEntries(
    [...fields, ...dependencyFields]
      .filter((key) => manifest[key] !== undefined)
      .map((key) => [key, manifest[key]]),
  );
  return {
    name: manifest.name,
    "dist-tags": { latest: manifest.version },
    versions: {
      [manifest.version]: {
        ...version,
        _id: `${manifest.name}@${manifest.version}`,
        dist: {
          tarball: tarballUrl,
          integrity: packed.integrity,
          shasum: createHash("sha1").update(bytes).digest("hex"),
        },
      },
    },
  };
}
