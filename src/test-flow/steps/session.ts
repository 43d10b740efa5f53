import type { FlowState } from "../flow-state.js";
import type { ConnectedServer } from "../mcp-client/mcp-session.js";
import type { WireExchange } from "../mcp-client/wire-log.js";
import { withAuthorization } from "../reauthorize.js";
import type { ReportBuilder, StepContext } from "../report/report.js";

/**
 * Step 7: the MCP session — opened by the challenge request when the server did not ask for a token,
 * else now, with the token (and again after a new authorization when the server refuses it).
 */
export async function sessionStep(state: FlowState): Promise<void> {
  const connected = state.connected;
  if (connected) {
    await state.report.run("session", async (step) => {
      recordSession(step, connected, state.report);
      step.note("Opened by the challenge request, without a token.");
    });
    return;
  }
  await withAuthorization(state, "session", async (step) => {
    const mark = state.wire.mark();
    state.connected = await state.session.connect();
    step.evidence("requests", state.wire.since(mark).map(describeExchange));
    recordSession(step, state.connected, state.report);
  });
}

/** What the session step records, whatever the transport; the report's protocol follows it. */
export function recordSession(step: StepContext, info: ConnectedServer, report: ReportBuilder): void {
  report.protocol.version = info.protocolVersion ?? null;
  report.protocol.era = info.era ?? null;
  const revision = `${info.protocolVersion ?? "unknown"}${info.era === "modern" ? " (server/discover)" : info.era === "legacy" ? " (initialize)" : ""}`;
  step.evidence("server", info.server ?? null);
  step.evidence("protocol", revision);
  step.evidence("protocol asked for", `--protocol ${report.protocol.requested}`);
  step.evidence("capabilities", info.capabilities);
  if (info.era !== "modern") step.evidence("session id", info.sessionId ? "yes" : "no");
  step.summary(`${info.server ?? "server"} speaks MCP ${revision}`);
}

/** One MCP request in a line: its method, whether a token went with it, and the answer's status. */
export function describeExchange(exchange: WireExchange): string {
  const method = exchange.method ?? "?";
  const name = exchange.name ? ` ${exchange.name}` : "";
  const token = exchange.authorization ? " (with a token)" : "";
  return `POST ${method}${name}${token} → ${exchange.status === undefined ? "no answer" : `HTTP ${exchange.status}`}`;
}

/** The MCP headers of a request as "name: value" lines (HTTP header names are case-insensitive). */
export function mcpHeaders(exchange: WireExchange): string[] {
  return Object.entries(exchange.headers).map(([name, value]) => `${name}: ${value}`);
}
