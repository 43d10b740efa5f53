import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A real `redis-server` for a test (Debian: `apt-get install redis-server`): its own folder and a
 * free port, nothing saved to disk. `stop()` kills it and `start()` brings it back on the same port
 * (an outage); `close()` ends it for good.
 */
export interface RedisServer {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** True when redis-server can be started here. */
export function hasRedisServer(): boolean {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), "redis-test-"));
  let port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        child = await runRedis(port, dir);
        return;
      } catch (error) {
        // Someone took the free port between our look and Redis's bind: another one.
        if (attempt >= 3) throw error;
        port = await freePort();
      }
    }
  };
  await launch();
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
  };
  return {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    stop,
    start: async () => {
      child = await runRedis(port, dir);
    },
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts redis-server and resolves once it accepts connections. */
function runRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk) => {
      output += String(chunk);
      if (output.includes("Ready to accept connections")) resolve(child);
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(new Error(`redis-server exited with ${code}:\n${output.slice(-2000)}`)),
    );
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
