import {
  AuthenticationHandler,
  Client,
  type Context,
  type Middleware,
  TelemetryHandler,
} from "@microsoft/microsoft-graph-client";
import { type FetchLike, trustedFetch } from "./trust.js";
import { MICROSOFT_GRAPH_RESOURCE } from "./well-known.js";

export interface GraphTarget {
  /** https://graph.microsoft.com (default) or the dev tenant's origin, e.g. https://localhost:44331 */
  baseUrl?: string;
  /** Extra CA certificates (PEM) this client trusts, such as the dev tenant's CA. */
  caPems?: string[];
}

/** Returns a Graph access token for each request (msal's cache makes repeated calls cheap). */
export type GraphTokenProvider = () => Promise<string>;

/**
 * The last link of the chain: sends the request with a fetch that trusts the given CAs for this
 * client only (the SDK's own HTTPMessageHandler uses global fetch, which cannot take a per-client CA).
 */
class TrustedFetchHandler implements Middleware {
  constructor(private readonly fetchImpl: FetchLike) {}

  async execute(context: Context): Promise<void> {
    const request = context.request;
    const url = typeof request === "string" ? request : request.url;
    context.response = await this.fetchImpl(url, {
      ...(typeof request === "string" ? {} : { method: request.method, headers: request.headers }),
      ...(context.options as RequestInit | undefined),
    });
  }
}

/**
 * How mcp-entra talks to Microsoft Graph: the real SDK client, pointed at Graph or the dev tenant
 * (its host is a custom host, so the SDK attaches the token there too), trusting the given CAs per
 * client, with a token provider and deliberately WITHOUT the SDK's RetryHandler: `register` owns
 * retries (429/503/504 and Graph's replication delay) so it can count and report them.
 */
export function createGraphClient(target: GraphTarget, getAccessToken: GraphTokenProvider): Client {
  const baseUrl = (target.baseUrl ?? MICROSOFT_GRAPH_RESOURCE).replace(/\/$/, "");
  const hostname = new URL(baseUrl).hostname;
  const middleware: Middleware[] = [
    new AuthenticationHandler({ getAccessToken }),
    new TelemetryHandler(),
    new TrustedFetchHandler(trustedFetch(target.caPems ?? [])),
  ];
  return Client.initWithMiddleware({
    baseUrl,
    customHosts: new Set([hostname]),
    middleware,
  });
}
