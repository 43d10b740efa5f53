import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { tempDir } from "./dev-tenant.js";
import { recordOutput } from "./output-ledger.js";

const run = promisify(execFile);

/**
 * A command in a real pseudo-terminal: a tmux session of its own (tmux from Debian; `apt-get install
 * tmux`), so the program sees a TTY on stdin and stdout and prompts as it does for a person. Keys go in
 * as tmux names them (`Down`, `Enter`, `C-c`); the screen comes back as text.
 */
export interface Terminal {
  /** What the terminal shows now (the visible screen, lines joined). */
  screen(): Promise<string>;
  /** Resolves with the screen once it shows `text`; rejects after `timeoutMs` with the screen it had. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Presses keys, e.g. press("Down", "Enter"), press("C-c"). */
  press(...keys: string[]): Promise<void>;
  /** Types text as it is. */
  type(text: string): Promise<void>;
  /** The exit status once the program has ended. */
  exitCode(timeoutMs?: number): Promise<number>;
  /** Ends the tmux server (and the program, if it still runs). */
  close(): Promise<void>;
}

export async function openTerminal(
  command: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; cols?: number; rows?: number },
): Promise<Terminal> {
  const dir = await tempDir("mcp-entra-tty-");
  const socket = join(dir, "tmux.sock");
  const config = join(dir, "tmux.conf");
  const statusFile = join(dir, "exit-status");
  // Keep the pane (and its screen) after the program exits.
  await writeFile(config, "set -g remain-on-exit on\nset -g history-limit 5000\n");
  const tmux = (...args: string[]) =>
    run("tmux", ["-S", socket, "-f", config, ...args], { env: { ...process.env, ...options.env } });
  await tmux(
    "new-session",
    "-d",
    "-x",
    String(options.cols ?? 160),
    "-y",
    String(options.rows ?? 40),
    "-c",
    options.cwd,
    "--",
    // tmux keeps a dead pane's exit status only when the program ends at once; a file always has it.
    "sh",
    "-c",
    '"$@"; echo $? > "$0"',
    statusFile,
    ...command,
  );
  const screen = async () => (await tmux("capture-pane", "-p", "-J", "-S", "-")).stdout;
  const exitStatus = async () => {
    const text = await readFile(statusFile, "utf8").catch(() => "");
    return text.endsWith("\n") ? Number(text.trim()) : undefined;
  };
  /** Polls for a condition of the terminal (what it shows, whether the program ended) until a deadline. */
  const until = async <T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`The terminal never ${what}. It shows:\n${await screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  let closed = false;
  return {
    screen,
    waitFor: (text, timeoutMs = 30_000) =>
      until(
        async () => {
          const shown = await screen();
          const found = typeof text === "string" ? shown.includes(text) : text.test(shown);
          return found ? shown : undefined;
        },
        timeoutMs,
        `showed ${text}`,
      ),
    press: async (...keys) => {
      await tmux("send-keys", ...keys);
    },
    type: async (text) => {
      await tmux("send-keys", "-l", text);
    },
    exitCode: (timeoutMs = 30_000) => until(exitStatus, timeoutMs, "ended"),
    close: async () => {
      if (closed) return;
      closed = true;
      recordOutput(`terminal ${command.join(" ")}`, await screen().catch(() => ""));
      await tmux("kill-server").catch(() => undefined);
    },
  };
}
