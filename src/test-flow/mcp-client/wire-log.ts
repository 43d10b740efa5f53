import type { FetchLike } from "../../entra/trust.js";
import { type BearerChallenge, bearerChallenge } from "../www-authenticate.js";

/**
 * Ours because the SDK's transport hides the HTTP exchanges behind each MCP call: the report shows, per
 * request, the method, the standard and mirrored headers sent (`Mcp-Method`, `Mcp-Name`,
 * `Mcp-Param-*`), whether a token went with it, the status and the challenge, and for multi-round-trip
 * calls what each round asked and whether `requestState` came back unchanged.
 */
export interface WireExchange {
  /** The JSON-RPC method of the request (or of the notification). */
  method?: string;
  /** `params.name` or `params.uri`: what Mcp-Name mirrors. */
  name?: string;
  /** The MCP headers sent: MCP-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Param-*, Mcp-Session-Id. */
  headers: Record<string, string>;
  /** A bearer token went with the request. */
  authorization: boolean;
  /** `inputResponses` keys and `requestState` of a multi-round-trip retry. */
  inputResponses?: string[];
  requestState?: string;
  status?: number;
  challenge?: BearerChallenge;
  /** What the answer carried (read off a copy of the body, after the SDK read its own). */
  answer?: WireAnswer;
}

export interface WireAnswer {
  resultType?: string;
  /** `inputRequests` of an input_required result: key → method. */
  inputRequests?: Record<string, string>;
  requestState?: string;
  error?: { code: number; message: string };
}

const MCP_HEADER = /^(mcp-|last-event-id$)/i;

export class WireLog {
  readonly exchanges: WireExchange[] = [];
  private readonly reading: Promise<void>[] = [];

  constructor(private readonly url: string) {}

  /** A fetch that records the POSTs to the MCP endpoint (other requests pass untouched). */
  wrap(fetchImpl: FetchLike): FetchLike {
    return async (input, init) => {
      if (init?.method !== "POST" || !sameEndpoint(String(input), this.url)) return fetchImpl(input, init);
      const exchange = describeRequest(init);
      this.exchanges.push(exchange);
      const response = await fetchImpl(input, init);
      exchange.status = response.status;
      if (response.status === 401 || response.status === 403)
        exchange.challenge = bearerChallenge(response.headers);
      if (response.status !== 202 && response.body) this.readAnswer(exchange, response.clone());
      return response;
    };
  }

  /** A position in the log, for `since`. */
  mark(): number {
    return this.exchanges.length;
  }

  since(mark: number): WireExchange[] {
    return this.exchanges.slice(mark);
  }

  /** The last exchange the server answered 401 or 403. */
  lastRefusal(): WireExchange | undefined {
    return this.exchanges.findLast((exchange) => exchange.status === 401 || exchange.status === 403);
  }

  /** Waits until the copies of the answers read so far have been read (at most 2 s). */
  async settled(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 2000);
    });
    await Promise.race([Promise.allSettled(this.reading), limit]);
    clearTimeout(timer);
  }

  private readAnswer(exchange: WireExchange, copy: Response): void {
    const type = copy.headers.get("content-type") ?? "";
    const reading = copy
      .text()
      .then((text) => {
        const messages = type.includes("text/event-stream") ? sseMessages(text) : [parseJson(text)];
        const response = messages.find((message) => message && ("result" in message || "error" in message));
        if (response) exchange.answer = answerOf(response);
      })
      .catch(() => undefined);
    this.reading.push(reading);
  }
}

function describeRequest(init: RequestInit): WireExchange {
  const headers: Record<string, string> = {};
  const sent = new Headers(init.headers);
  sent.forEach((value, name) => {
    if (MCP_HEADER.test(name)) headers[name.toLowerCase()] = value;
  });
  const exchange: WireExchange = { headers, authorization: sent.has("authorization") };
  const body = typeof init.body === "string" ? (parseJson(init.body) as JsonRpc | undefined) : undefined;
  if (body && !Array.isArray(body)) {
    exchange.method = body.method;
    const params = body.params ?? {};
    const name = params.name ?? params.uri;
    if (typeof name === "string") exchange.name = name;
    if (params.inputResponses && typeof params.inputResponses === "object") {
      exchange.inputResponses = Object.keys(params.inputResponses);
    }
    if (typeof params.requestState === "string") exchange.requestState = params.requestState;
  }
  return exchange;
}

interface JsonRpc {
  method?: string;
  params?: { name?: unknown; uri?: unknown; inputResponses?: unknown; requestState?: unknown };
  result?: { resultType?: unknown; inputRequests?: unknown; requestState?: unknown };
  error?: { code?: unknown; message?: unknown };
}

function answerOf(message: JsonRpc): WireAnswer {
  if (message.error) {
    return { error: { code: Number(message.error.code), message: String(message.error.message ?? "") } };
  }
  const result = message.result ?? {};
  const answer: WireAnswer = {};
  if (typeof result.resultType === "string") answer.resultType = result.resultType;
  if (typeof result.requestState === "string") answer.requestState = result.requestState;
  if (result.inputRequests && typeof result.inputRequests === "object") {
    answer.inputRequests = Object.fromEntries(
      Object.entries(result.inputRequests as Record<string, { method?: unknown }>).map(([key, request]) => [
        key,
        String(request?.method ?? "?"),
      ]),
    );
  }
  return answer;
}

/** The JSON-RPC messages of an SSE body (`data:` lines of each event, joined). */
function sseMessages(text: string): (JsonRpc | undefined)[] {
  return text
    .split(/\r?\n\r?\n/)
    .map((event) =>
      event
        .split(/\r?\n/)
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).replace(/^ /, ""))
        .join("\n"),
    )
    .filter(Boolean)
    .map(parseJson);
}

function parseJson(text: string): JsonRpc | undefined {
  try {
    return JSON.parse(text) as JsonRpc;
  } catch {
    return undefined;
  }
}

function sameEndpoint(a: string, b: string): boolean {
  try {
    const left = new URL(a);
    const right = new URL(b);
    return left.origin === right.origin && left.pathname === right.pathname;
  } catch {
    return false;
  }
}
