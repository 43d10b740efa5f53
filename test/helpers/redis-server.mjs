// A real `redis-server` for tests and benchmarks (Debian: `apt-get install redis-server`; .ci/run
// installs it): its own folder, a free port. `stop()` ends it (SIGTERM: it saves what it holds, as a
// Redis with persistence would) and `start()` brings it back on the same port with that data: an
// outage. Plain JavaScript (types in redis-server.d.mts) because bench/ runs without a TypeScript step.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function startRedisServer() {
  const dir = await mkdtemp(join(tmpdir(), "redis-test-"));
  let port = await freePort();
  let child;
  for (let attempt = 0; !child; attempt++) {
    try {
      child = await runRedis(port, dir);
    } catch (error) {
      // Someone took the port between our look and Redis's bind: another one.
      if (attempt >= 3) throw error;
      port = await freePort();
    }
  }
  const stop = async (signal = "SIGTERM") => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill(signal);
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    start: async () => {
      child = await runRedis(port, dir);
    },
    close: async () => {
      await stop("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function runRedis(port, dir) {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "3600 1", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    const listen = (chunk) => {
      output += String(chunk);
      if (!output.includes("Ready to accept connections")) return;
      child.stdout.off("data", listen);
      child.stdout.resume();
      resolve(child);
    };
    child.stdout.on("data", listen);
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(new Error(`redis-server exited with ${code}:\n${output.slice(-2000)}`)),
    );
  });
}

/** A port nothing listens on now, on 127.0.0.1. */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}
