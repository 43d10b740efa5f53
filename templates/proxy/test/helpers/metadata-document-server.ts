import { readFile } from "node:fs/promises";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { DevTenant } from "mcp-entra/dev-tenant";

/**
 * An https server for Client ID Metadata Documents, as an MCP client's publisher would run one. Its
 * certificate is the dev tenant's localhost certificate (issued by the tenant's CA, which the
 * tests trust through NODE_EXTRA_CA_CERTS), so the proxy fetches over verified TLS.
 */
export interface MetadataDocumentServer {
  /** https://localhost:<port> */
  origin: string;
  /** Serves `body` (JSON-encoded unless a string) at `path`, with `status`. */
  serve(path: string, body: unknown, status?: number): string;
  /** How many times each path was requested. */
  hits: Map<string, number>;
  stop(): Promise<void>;
}

export async function startMetadataDocumentServer(tenant: DevTenant): Promise<MetadataDocumentServer> {
  const routes = new Map<string, { body: string; status: number }>();
  const hits = new Map<string, number>();
  const server = createServer(
    {
      cert: await readFile(join(tenant.dir, "tls-cert.pem")),
      key: await readFile(join(tenant.dir, "tls-key.pem")),
    },
    (req, res) => {
      const path = req.url ?? "/";
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const route = routes.get(path);
      if (route && route.status >= 300 && route.status < 400) {
        res.writeHead(route.status, { Location: route.body }).end();
        return;
      }
      res
        .writeHead(route?.status ?? 404, { "Content-Type": "application/json" })
        .end(route?.body ?? '{"error":"not found"}');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    hits,
    serve(path, body, status = 200) {
      routes.set(path, { body: typeof body === "string" ? body : JSON.stringify(body), status });
      return `${origin}${path}`;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
