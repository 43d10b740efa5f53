import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { OperationError } from "../core/errors.js";

export interface RunningServer {
  url: string;
  /** What the server wrote to stderr (its request log; never tokens). */
  logs: () => string;
  stop(): Promise<void>;
}

/**
 * Starts a generated project's built server (`node dist/main.js` in its folder, which reads its
 * .env) and resolves once GET /healthz answers 200. `caFile`: the dev tenant's CA, which the server
 * trusts through NODE_EXTRA_CA_CERTS (read by Node at start-up, so set here, not in .env).
 */
export async function startBuiltServer(
  dir: string,
  origin: string,
  { caFile, timeoutMs = 20_000 }: { caFile: string; timeoutMs?: number },
): Promise<RunningServer> {
  const child = spawn(process.execPath, [join(dir, "dist", "main.js")], {
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NODE_OPTIONS: "", NODE_EXTRA_CA_CERTS: caFile },
  });
  let output = "";
  // The template logs a line once it listens: /healthz is checked then, not on the next poll.
  let heard: (() => void) | undefined;
  let listening: Promise<void> | undefined = new Promise<void>((resolve) => {
    heard = resolve;
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (output.includes('"listening"')) heard?.();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const server: RunningServer = { url: origin, logs: () => output, stop: () => stop(child, exited) };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const healthy = await fetch(`${origin}/healthz`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) return server;
    const pause = new Promise<void>((resolve) => setTimeout(resolve, 150));
    await Promise.race(listening ? [listening.then(() => (listening = undefined)), pause] : [pause]);
  }
  await server.stop();
  throw new OperationError("SERVER_DID_NOT_START", `The server in ${dir} did not answer ${origin}/healthz.`, {
    suggestion: `run \`npm start\` in ${dir} to see why. Its last output:\n${output.trim().split("\n").slice(-5).join("\n")}`,
  });
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}
