import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ensureCertificates } from "../../src/tenant/server/certificates.js";

export interface HttpsDocument {
  url: string;
  caPem: string;
  caFile: string;
  stop(): Promise<void>;
}

/**
 * Serves one JSON document over https on localhost (a Client ID Metadata Document, say), with a CA
 * made for the test in `dir` — or, with `certificates: tenant.dir`, the dev tenant's own localhost
 * certificate (so whatever trusts the tenant's CA trusts the document). `document` receives the
 * document's own URL.
 */
export async function serveHttpsDocument(
  dir: string,
  path: string,
  document: (url: string) => unknown,
  options: { certificates?: string } = {},
): Promise<HttpsDocument> {
  const certificates = await ensureCertificates(options.certificates ?? join(dir, "https-ca"));
  let url = "";
  const server: Server = createServer(
    { cert: certificates.certPem, key: certificates.keyPem },
    (req, res) => {
      if (req.url !== path) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(document(url)));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `https://localhost:${(server.address() as AddressInfo).port}${path}`;
  return {
    url,
    caPem: certificates.caPem,
    caFile: certificates.caFile,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
