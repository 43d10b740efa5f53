import { randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** A plain node:http server on a loopback address, closed with every open connection. */
export interface Listening {
  /** `http://host:port`, or `http://host` when it listens on the default port 80. */
  origin: string;
  close(): Promise<void>;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/**
 * `port: 0` (the default) takes a free port on 127.0.0.1. `"default-port"` listens on port 80 of a random
 * 127.x.y.z address so that the origin has no explicit port (needed to spell the default port out as a
 * variant, RFC 3986 §6.2.3); it needs the right to bind port 80 (root, or CAP_NET_BIND_SERVICE).
 */
export async function listen(
  handler: RequestHandler,
  at: { host?: string; port?: number } | "default-port" = {},
) {
  const host =
    at === "default-port"
      ? `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(2, 255)}`
      : (at.host ?? "127.0.0.1");
  const port = at === "default-port" ? 80 : (at.port ?? 0);
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`fixture error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EACCES" && port === 80
          ? new Error(`listening on ${host}:80 needs root or CAP_NET_BIND_SERVICE (the default-port issuer)`)
          : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  const origin = address.port === 80 ? `http://${host}` : `http://${host}:${address.port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  } satisfies Listening;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Headers as one record with lower-case names; repeated headers are joined by ", " as node does. */
export function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
