import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./fs.js";

/**
 * A project's `.env`: values are merged into the file (other lines and comments are kept), the file
 * is written with owner-only permissions, and `.env` is added to the project's `.gitignore`.
 */
export async function readEnvFile(path: string): Promise<Record<string, string>> {
  const text = await readFile(path, "utf8").catch(() => "");
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = line.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/);
    if (match) values[match[1]!] = unquote(match[2]!.trim());
  }
  return values;
}

function unquote(value: string): string {
  if (/^".*"$/.test(value)) return value.slice(1, -1).replace(/\\n/g, "\n").replace(/\\"/g, '"');
  if (/^'.*'$/.test(value)) return value.slice(1, -1);
  return value;
}

function quote(value: string): string {
  return /^[\w./:@%+,-]*$/.test(value)
    ? value
    : `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** Sets keys (undefined removes them); returns whether the file changed. */
export async function updateEnvFile(
  path: string,
  updates: Record<string, string | undefined>,
): Promise<boolean> {
  const original = await readFile(path, "utf8").catch(() => "");
  const remaining = new Map(Object.entries(updates));
  const lines = original === "" ? [] : original.replace(/\n$/, "").split(/\r?\n/);
  const next: string[] = [];
  for (const line of lines) {
    const key = line.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/)?.[1];
    if (key && remaining.has(key)) {
      const value = remaining.get(key);
      remaining.delete(key);
      if (value !== undefined) next.push(`${key}=${quote(value)}`);
    } else next.push(line);
  }
  for (const [key, value] of remaining) if (value !== undefined) next.push(`${key}=${quote(value)}`);
  const text = next.length ? `${next.join("\n")}\n` : "";
  if (text === original) return false;
  await writeFileAtomic(path, text, 0o600);
  return true;
}

/** Makes sure `.gitignore` in `dir` ignores `entry`. */
export async function ensureGitIgnored(dir: string, entry = ".env"): Promise<void> {
  const path = join(dir, ".gitignore");
  const text = await readFile(path, "utf8").catch(() => "");
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  if (lines.includes(entry) || lines.includes(`/${entry}`)) return;
  const prefix = text === "" || text.endsWith("\n") ? text : `${text}\n`;
  await writeFileAtomic(path, `${prefix}${entry}\n`, 0o644);
}
