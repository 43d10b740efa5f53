import { randomBytes } from "node:crypto";
import { createServer } from "node:http";

export interface OidcEndpoint {
  /** ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, as GitHub sets them for a job. */
  variables: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A GitHub runner's token request endpoint: `GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=…` with the
 * request token as bearer answers `{"value": "<the job's OIDC token>"}`, as on GitHub; `mint` makes
 * the token (the dev tenant stands in for GitHub's issuer).
 */
export async function startOidcEndpoint(mint: (audience?: string) => Promise<string>): Promise<OidcEndpoint> {
  const requestToken = randomBytes(24).toString("base64url");
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://runner");
    const bearer = /^bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
    if (bearer !== requestToken) {
      response.writeHead(401, { "content-type": "application/json" }).end('{"message":"Bad credentials"}');
      return;
    }
    mint(url.searchParams.get("audience") ?? undefined)
      .then((value) =>
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ value })),
      )
      .catch((error: Error) => response.writeHead(500).end(error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    variables: {
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/_apis/distributedtask/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
