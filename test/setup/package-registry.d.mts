/** Types of package-registry.mjs (plain JavaScript so that bench/ can use it too). */

export interface PackedPackage {
  /** Absolute path of the .tgz. */
  tarball: string;
  /** package.json of the packed package. */
  manifest: { name: string; version: string } & Record<string, unknown>;
  /** sha512 Subresource Integrity of the tarball, as npm records it. */
  integrity: string;
  /** Paths inside the package, as npm pack lists them. */
  files: string[];
  /** Size of the tarball in bytes. */
  size: number;
}

export interface PackageRegistry {
  /** http://127.0.0.1:<port>/ — the value for npm_config_registry. */
  url: string;
  close(): Promise<void>;
  /** Lets the process exit while the registry still listens. */
  unref(): void;
}

export function packPackage(root: string, destination: string): Promise<PackedPackage>;
export function configuredRegistry(): Promise<string>;
export function startPackageRegistry(packed: PackedPackage, upstream: string): Promise<PackageRegistry>;
