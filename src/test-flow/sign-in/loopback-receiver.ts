import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { OperationError } from "../../core/errors.js";

interface Pending {
  state: string;
  resolve(params: URLSearchParams): void;
  reject(error: Error): void;
}

/**
 * The redirect URI of browser and headless sign-in: an HTTP server on 127.0.0.1 (RFC 8252 §7.3) that
 * receives the authorization response, checks `state`, and hands its parameters to the flow (which
 * checks `iss` before it reads anything else: RFC 9207).
 */
export class LoopbackReceiver {
  private pending?: Pending;

  private constructor(
    private readonly server: Server,
    readonly redirectUri: string,
  ) {}

  /**
   * Listens on 127.0.0.1, on the preferred port when it is free (a stored registration names it), else
   * any. The redirect URI is `http://127.0.0.1:<port>/callback`, or for Entra `http://localhost:<port>`
   * (what msal uses, and what `register` and Microsoft's clients register: Entra ignores loopback ports
   * but compares host and path).
   */
  static async start(preferredPort?: number, style: "spec" | "entra" = "spec"): Promise<LoopbackReceiver> {
    let receiver: LoopbackReceiver | undefined;
    const server = createServer((req, res) => receiver?.handle(req, res));
    const port = await listen(server, preferredPort ?? 0).catch(() => listen(server, 0));
    const redirectUri = style === "entra" ? `http://localhost:${port}` : `http://127.0.0.1:${port}/callback`;
    receiver = new LoopbackReceiver(server, redirectUri);
    return receiver;
  }

  /**
   * Listens for a fixed loopback redirect URI (one a Client ID Metadata Document lists): on its port,
   * or on any port when it names none (RFC 8252 §7.3); its host and path are kept.
   */
  static async startAt(redirectUri: string): Promise<LoopbackReceiver> {
    const url = new URL(redirectUri);
    let receiver: LoopbackReceiver | undefined;
    const server = createServer((req, res) => receiver?.handle(req, res));
    const wanted = Number(url.port) || 0;
    const port = await listen(server, wanted).catch((error: Error) => {
      throw new OperationError(
        "REDIRECT_PORT_BUSY",
        `Cannot listen for the redirect URI ${redirectUri} (${error.message}).`,
        { suggestion: "Free that port, or list a loopback redirect URI without a port in the document." },
      );
    });
    // Verbatim, so that it matches the document's entry exactly (a port is added when it had none).
    const uri = wanted ? redirectUri : redirectUri.replace(`//${url.host}`, `//${url.host}:${port}`);
    receiver = new LoopbackReceiver(server, uri);
    return receiver;
  }

  /** Whether a URL is this redirect URI (with any query): same origin and path. */
  isRedirect(url: string): boolean {
    const target = new URL(url);
    const own = new URL(this.redirectUri);
    return target.origin === own.origin && target.pathname === own.pathname;
  }

  /** Waits for the response to the authorization request sent with `state`: its parameters. */
  expect(state: string, signal: AbortSignal): Promise<URLSearchParams> {
    return new Promise((resolve, reject) => {
      const onAbort = () =>
        reject(
          new OperationError("SIGN_IN_TIMEOUT", "No authorization response arrived in time (--timeout)."),
        );
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      this.pending = {
        state,
        resolve: (params) => {
          signal.removeEventListener("abort", onAbort);
          resolve(params);
        },
        reject: (error) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
    });
  }

  /** Ends the wait with an error (the user agent failed before the redirect came). */
  cancel(error: Error): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", this.redirectUri);
    if (url.pathname !== new URL(this.redirectUri).pathname || !this.pending) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found.");
      return;
    }
    const pending = this.pending;
    const params = url.searchParams;
    if (params.get("state") !== pending.state) {
      this.finish(res, 400, "The sign-in response did not match this request (state mismatch).");
      this.pending = undefined;
      pending.reject(
        new OperationError(
          "STATE_MISMATCH",
          `The authorization response carried state ${JSON.stringify(params.get("state"))}, not the state this client sent.`,
          {
            suggestion:
              "The authorization server must return the state parameter unchanged (RFC 6749 §4.1.2).",
          },
        ),
      );
      return;
    }
    this.pending = undefined;
    const failed = params.has("error") || !params.get("code");
    this.finish(
      res,
      failed ? 400 : 200,
      failed
        ? "Sign-in failed. You can close this window and read the report in the terminal."
        : "Signed in. You can close this window and return to the terminal.",
    );
    pending.resolve(params);
  }

  private finish(res: ServerResponse, status: number, text: string): void {
    res
      .writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
      .end(`<!doctype html><title>mcp-entra</title><p>${text}</p>`);
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
