// A tiny HTTP load balancer for tests and benchmarks that run several instances of a server: round
// robin by default, or where `route(request)` says. Like a real one it takes an instance that
// refuses connections (killed) out of the rotation and sends the request to the next. Bodies are
// read first, so a request can be sent again. The instances see its requests come from 200 loopback
// addresses in turn (127.0.0.2 to 127.0.0.201), as from many users: their per-address rate limits do
// not cap a test or a benchmark that plays many users from one process. Plain JavaScript (types in load-balancer.d.mts)
// because bench/ runs without a TypeScript step.
import { createServer, request } from "node:http";

export async function startLoadBalancer(ports) {
  let turn = 0;
  let address = 0;
  let route;
  const down = new Set();
  const forward = (index, req, body, res, tries) => {
    const upstream = request(
      {
        host: "127.0.0.1",
        port: ports[index],
        localAddress: `127.0.0.${2 + (address++ % 200)}`,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      if (error.code === "ECONNREFUSED" && tries < ports.length) {
        down.add(index);
        return forward((index + 1) % ports.length, req, body, res, tries + 1);
      }
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    upstream.end(body);
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      let index = route?.(req);
      if (index === undefined) {
        do index = turn++ % ports.length;
        while (down.has(index) && down.size < ports.length);
      }
      forward(index, req, Buffer.concat(chunks), res, 1);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    port,
    route(chooser) {
      route = chooser;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
