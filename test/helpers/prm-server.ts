import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A stand-in for a server's metadata endpoint: serves `document` (which tests may change) at its PRM URL. */
export interface PrmServer {
  url: string;
  document: Record<string, unknown>;
  stop(): Promise<void>;
}

/** Listens on 127.0.0.1 (a free port); the MCP endpoint is http://localhost:<port>/mcp. */
export async function startPrmServer(): Promise<PrmServer> {
  const state: PrmServer = { url: "", document: {}, stop: async () => {} };
  const server: Server = createServer((req, res) => {
    if (req.url !== "/.well-known/oauth-protected-resource/mcp") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(state.document));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://localhost:${(server.address() as AddressInfo).port}/mcp`;
  state.stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}
