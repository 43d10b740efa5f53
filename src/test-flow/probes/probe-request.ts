import type { FlowState } from "../flow-state.js";
import { refusalOf } from "../mcp-client/failures.js";
import { HttpMcpSession } from "../mcp-client/http-session.js";
import { InputAnswers } from "../mcp-client/input-answers.js";
import { SdkWarnings } from "../mcp-client/sdk-warnings.js";
import { WireLog } from "../mcp-client/wire-log.js";
import { describeExchange } from "../steps/session.js";
import type { BearerChallenge } from "../www-authenticate.js";

export interface ProbeAnswer {
  /** The requests sent, one line each, with their status. */
  requests: string[];
  /** The refusal, when the server refused: its status and challenge. */
  refused?: { status: number; challenge?: BearerChallenge; at?: string };
}

export interface ProbeRequestOptions {
  /** The token goes in the query string (access_token) instead of the Authorization header. */
  inQuery?: boolean;
  /** Call the flow's tool too, even when the server asked for a token before it. */
  throughCall?: boolean;
}

/**
 * What a probe sends: the flow's requests again, with the probe's token (or none) — through the SDK, in
 * the revision the flow found — up to the one the server first asked a token for (all of them when it
 * never asked). The server passes a probe when it refuses one of them.
 */
export async function probeRequest(
  state: FlowState,
  token: string | undefined,
  options: ProbeRequestOptions = {},
): Promise<ProbeAnswer> {
  const url = new URL(state.options.serverUrl);
  if (options.inQuery && token) url.searchParams.set("access_token", token);
  const wire = new WireLog(url.href);
  const session = new HttpMcpSession({
    serverUrl: url.href,
    fetch: wire.wrap(state.fetch),
    token: () => (options.inQuery ? undefined : token),
    signal: state.signal,
    timeoutMs: state.options.timeout * 1000,
    clientVersion: state.deps.clientVersion,
    protocol: state.options.protocol,
    answers: new InputAnswers(),
    warnings: new SdkWarnings(),
  });
  const upTo = options.throughCall ? "tools-call" : (state.auth.askedAt ?? "tools-call");
  try {
    const connected = state.connected;
    // The era the flow found, without the probe (when the session is not what is being probed).
    const prior =
      upTo === "session" || !connected?.era
        ? undefined
        : connected.era === "modern" && connected.discover
          ? ({ kind: "modern", discover: connected.discover } as const)
          : ({ kind: "legacy" } as const);
    await session.connect(prior);
    if (upTo !== "session") {
      const { tools } = await session.listTools();
      const tool = tools.find((candidate) => candidate.name === state.tool?.name);
      if (upTo === "tools-call" && tool) await session.callTool(tool, state.tool!.args);
    }
    return { requests: wire.exchanges.map(describeExchange) };
  } catch (error) {
    const refusal = await refusalOf(error, wire.exchanges);
    const last = wire.exchanges.at(-1);
    const status = refusal?.status ?? (last?.status && last.status >= 400 ? last.status : undefined);
    if (status === undefined) throw error;
    return {
      requests: wire.exchanges.map(describeExchange),
      refused: {
        status,
        challenge: refusal?.challenge ?? last?.challenge,
        at: (refusal?.exchange ?? last)?.method,
      },
    };
  } finally {
    await session.close();
  }
}
