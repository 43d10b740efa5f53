import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { InputRoundRecord } from "./options.js";
import type { ToolResult } from "./tool-calls.js";

/** The two questions of `confirm_deploy`, as form elicitations with defaults (client/elicitation.mdx). */
export const QUESTIONS = {
  confirm: {
    message: "Deploy now?",
    requestedSchema: {
      type: "object" as const,
      properties: { confirm: { type: "boolean" as const, title: "Confirm", default: true } },
      required: ["confirm"],
    },
  },
  reason: {
    message: "Why deploy?",
    requestedSchema: {
      type: "object" as const,
      properties: { reason: { type: "string" as const, title: "Reason", default: "routine" } },
      required: ["reason"],
    },
  },
};

interface StatePayload {
  step: 1 | 2;
  tool: string;
  environment: string;
  sub: string;
  exp: number;
}

/**
 * `requestState` for the multi-round-trip tool: opaque to the client, integrity-protected with an HMAC
 * and bound to the principal, the originating request and an expiry (mrtr.mdx, "Server Requirements").
 * Its text has characters a client must not touch (Base64 `+/=`, a dot, a non-ASCII mark), so an echo
 * that is not byte for byte fails verification.
 */
export class RequestStateSeal {
  private readonly key = randomBytes(32);
  readonly minted = new Set<string>();

  constructor(private readonly now: () => number) {}

  mint(payload: Omit<StatePayload, "exp">): string {
    const body = Buffer.from(JSON.stringify({ ...payload, exp: this.now() + 300_000 })).toString("base64");
    const sealed = `${body}.${this.mac(body)}.✓`;
    this.minted.add(sealed);
    return sealed;
  }

  open(
    state: string,
    expected: { tool: string; environment: string; sub: string },
  ): StatePayload | undefined {
    const [body = "", mac = "", mark, extra] = state.split(".");
    if (mark !== "✓" || extra !== undefined) return undefined;
    const want = Buffer.from(this.mac(body));
    if (want.length !== mac.length || !timingSafeEqual(want, Buffer.from(mac))) return undefined;
    const payload = JSON.parse(Buffer.from(body, "base64").toString("utf8")) as StatePayload;
    const bound =
      payload.tool === expected.tool &&
      payload.environment === expected.environment &&
      payload.sub === expected.sub;
    return bound && payload.exp > this.now() ? payload : undefined;
  }

  private mac(body: string): string {
    return createHmac("sha256", this.key).update(body).digest("base64url");
  }
}

export type RoundOutcome =
  | { kind: "ask"; key: "confirm" | "reason"; requestState: string }
  | { kind: "done"; result: ToolResult }
  | { kind: "reject"; message: string };

interface ElicitAnswer {
  action?: string;
  content?: Record<string, unknown>;
}

/**
 * One round of `confirm_deploy` in the 2026-07-28 pattern: ask to confirm, then (with two rounds) for a
 * reason, then complete. A missing answer is asked again (mrtr.mdx "Error Handling"); a declined or
 * cancelled one ends the call.
 */
export function nextRound(
  seal: RequestStateSeal,
  rounds: 1 | 2,
  call: { environment: string; sub: string; requestState?: string; inputResponses?: Record<string, unknown> },
  record: InputRoundRecord,
): RoundOutcome {
  const bound = { tool: "confirm_deploy", environment: call.environment, sub: call.sub };
  const state = call.requestState === undefined ? undefined : seal.open(call.requestState, bound);
  record.round = state ? state.step + 1 : 1;
  if (call.requestState !== undefined && !state)
    return { kind: "reject", message: "requestState failed verification" };
  const ask = (key: "confirm" | "reason", step: 1 | 2): RoundOutcome => ({
    kind: "ask",
    key,
    requestState: seal.mint({ step, ...bound }),
  });
  if (!state) return ask("confirm", 1);
  const key = state.step === 1 ? "confirm" : "reason";
  const answer = call.inputResponses?.[key] as ElicitAnswer | undefined;
  record.inputResponses = call.inputResponses;
  if (answer === undefined) return ask(key, state.step);
  if (answer.action !== "accept")
    return {
      kind: "done",
      result: { content: [{ type: "text", text: `deployment ${answer.action ?? "ended"}` }] },
    };
  if (state.step === 1 && answer.content?.confirm !== true) {
    return { kind: "done", result: { content: [{ type: "text", text: "deployment not confirmed" }] } };
  }
  if (state.step === 1 && rounds === 2) return ask("reason", 2);
  const reason = state.step === 2 ? `: ${String(answer.content?.reason)}` : "";
  return {
    kind: "done",
    result: { content: [{ type: "text", text: `deployed to ${call.environment}${reason}` }] },
  };
}
