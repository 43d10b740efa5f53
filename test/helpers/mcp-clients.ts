import {
  Client,
  type ClientOptions,
  type OAuthClientProvider,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from "@modelcontextprotocol/client";
import {
  type OAuthClientProvider as OAuthClientProviderV1,
  UnauthorizedError as UnauthorizedErrorV1,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as StreamableHTTPClientTransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { FetchLike } from "../../src/entra/trust.js";
import type { BrowserOAuthClient } from "./browser-oauth-client.js";

/** The raw request shapes of both revisions, as the templates' own tests send them. */
export { REVISIONS, rpcRequest } from "../../templates/remote/test/helpers/revisions.js";

/**
 * The MCP clients the templates must serve, driven the same way: the current SDK (v2) negotiating
 * 2026-07-28 (`auto`) or pinned to it, and a 2025-11-25 client, the SDK 1.x that deployed hosts
 * still ship. Each is the SDK's own Client and Streamable HTTP transport, unmodified.
 */
export const CLIENTS = ["v2 auto", "v2 pinned 2026-07-28", "SDK 1.x (2025-11-25)"] as const;
export type ClientKind = (typeof CLIENTS)[number];

/** What the tests do with a connected client, whatever its kind. */
export interface McpSession {
  /** The revision the connection speaks. */
  revision: "2026-07-28" | "2025-11-25";
  serverName?: string;
  listTools(): Promise<string[]>;
  callTool(name: string): Promise<{ isError: boolean; text: string }>;
  close(): Promise<void>;
}

type Auth = { token: string } | { provider: BrowserOAuthClient };

/** Connects a client of `kind` with a bearer token, or signs in with `provider` first (OAuth). */
export async function connectClient(
  kind: ClientKind,
  url: string,
  fetch: FetchLike,
  auth: Auth,
): Promise<McpSession> {
  return kind === "SDK 1.x (2025-11-25)" ? connectV1(url, fetch, auth) : connectV2(kind, url, fetch, auth);
}

async function connectV2(kind: ClientKind, url: string, fetch: FetchLike, auth: Auth): Promise<McpSession> {
  const options: ClientOptions = {
    versionNegotiation: { mode: kind === "v2 auto" ? "auto" : { pin: "2026-07-28" } },
  };
  const authProvider: OAuthClientProvider | { token: () => Promise<string> } =
    "token" in auth ? { token: async () => auth.token } : auth.provider;
  const transport = () => new StreamableHTTPClientTransport(new URL(url), { fetch, authProvider });
  let client = new Client({ name: "mcp-entra-test", version: "1.0.0" }, options);
  if ("provider" in auth && !(await auth.provider.tokens())) {
    // Sign in: the first connect sends the browser through the authorization server and fails.
    const first = transport();
    await client.connect(first).catch((error: unknown) => {
      if (!(error instanceof UnauthorizedError)) throw error;
    });
    await first.finishAuth(auth.provider.callback());
    await first.close();
    client = new Client({ name: "mcp-entra-test", version: "1.0.0" }, options);
  }
  await client.connect(transport());
  return session(client.getProtocolEra() === "modern" ? "2026-07-28" : "2025-11-25", client);
}

async function connectV1(url: string, fetch: FetchLike, auth: Auth): Promise<McpSession> {
  const provider = "provider" in auth ? (auth.provider as unknown as OAuthClientProviderV1) : undefined;
  const transport = () =>
    new StreamableHTTPClientTransportV1(new URL(url), {
      fetch,
      ...(provider
        ? { authProvider: provider }
        : { requestInit: { headers: { Authorization: `Bearer ${(auth as { token: string }).token}` } } }),
    });
  if (provider && "provider" in auth && !(await auth.provider.tokens())) {
    const first = transport();
    await new ClientV1({ name: "mcp-entra-test", version: "1.0.0" })
      .connect(first)
      .catch((error: unknown) => {
        if (!(error instanceof UnauthorizedErrorV1)) throw error;
      });
    // The 2025 SDK takes the code alone (RFC 9207's `iss` check came with revision 2026-07-28).
    await first.finishAuth(auth.provider.callback().get("code")!);
    await first.close();
  }
  const client = new ClientV1({ name: "mcp-entra-test", version: "1.0.0" });
  await client.connect(transport());
  return session("2025-11-25", client);
}

/** The calls both SDKs' clients have in common, as the tests use them. */
interface SdkClient {
  getServerVersion(): { name: string } | undefined;
  listTools(): Promise<{ tools: { name: string }[] }>;
  callTool(params: { name: string }): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

function session(revision: McpSession["revision"], client: SdkClient): McpSession {
  return {
    revision,
    serverName: client.getServerVersion()?.name,
    listTools: async () => (await client.listTools()).tools.map((tool) => tool.name),
    callTool: async (name) => {
      const result = await client.callTool({ name });
      const first = (result.content as { text?: string }[] | undefined)?.[0];
      return { isError: Boolean(result.isError), text: first?.text ?? "" };
    },
    close: () => client.close(),
  };
}
