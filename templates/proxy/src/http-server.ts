import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer, Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Config } from "./config.js";

export interface RunningServer {
  server: Server;
  /** The address it listens on, e.g. http://127.0.0.1:3000 (the public URL is MCP_SERVER_URL). */
  origin: string;
  /** Stops accepting connections, lets requests in flight finish, and ends idle ones. */
  close(graceMs?: number): Promise<void>;
}

/** HTTP, or HTTPS when TLS_CERT_FILE and TLS_KEY_FILE are set. */
export function createServer(config: Pick<Config, "tls">, handler?: RequestListener): Server {
  if (!config.tls) return createHttpServer(handler);
  return createHttpsServer(
    { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile), minVersion: "TLSv1.2" },
    handler,
  );
}

export async function listen(server: Server, port: number, host: string): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const scheme = server instanceof HttpsServer ? "https" : "http";
  const hostname = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    server,
    origin: `${scheme}://${hostname}:${address.port}`,
    close: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
