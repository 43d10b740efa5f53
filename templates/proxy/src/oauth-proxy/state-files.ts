import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * The proxy's files (PROXY_STATE_DIR): a folder only the owner can enter, files only the owner
 * can read, written so that a crash leaves the old or the new content, never half of either.
 */
export async function ensurePrivateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  await chmod(path, 0o700);
}

/** Writes to a temporary file in the same folder (0600), flushes it, and renames it over `path`. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = await writeTemporary(path, data);
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes whole files one after another, each atomically: what a file that is rewritten on every
 * change (registrations, consents) needs so that an older content never lands after a newer one.
 */
export function serialWriter(path: string): (content: string) => Promise<void> {
  let writing: Promise<void> = Promise.resolve();
  return (content) => {
    const next = writing.catch(() => undefined).then(() => writeFileAtomic(path, content));
    writing = next;
    return next;
  };
}

/** Like writeFileAtomic, but leaves an existing file alone (the first writer wins): false then. */
export async function createFileOnce(path: string, data: string | Uint8Array): Promise<boolean> {
  const temporary = await writeTemporary(path, data);
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return false;
  } finally {
    await rm(temporary, { force: true });
  }
}

async function writeTemporary(path: string, data: string | Uint8Array): Promise<string> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temporary;
}

/** The file's content, or undefined when it does not exist. */
export async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** A random 256-bit key kept in `path` (created once, 0600). */
export async function loadOrCreateKey(path: string): Promise<Buffer> {
  const existing = await readOptional(path);
  if (existing) {
    if (existing.length !== 32)
      throw new Error(`${path} is not a 32-byte key: delete it to create a new one`);
    return existing;
  }
  await ensurePrivateDir(dirname(path));
  // Instances starting together agree on one key: the first file created is kept.
  await createFileOnce(path, randomBytes(32));
  return loadOrCreateKey(path);
}
