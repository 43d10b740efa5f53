import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SignInRequiredError } from "../../../src/core/errors.js";
import { scrubTokens } from "../../../src/test-flow/scrub-tokens.js";
import { ServerSignIn, UNATTENDED_SIGN_IN_MS } from "../../../src/test-flow/stdio/server-sign-in.js";
import { ServerStderr } from "../../../src/test-flow/stdio/server-stderr.js";

const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGVsZSJ9.c2lnbmF0dXJlLXZhbHVl";
const DEVICE_CODE =
  "To sign in, use a web browser to open the page https://localhost:44331/devicelogin and enter the code ABCD1234 to authenticate.";

function signIn(personPresent: boolean, timeoutSeconds = 120) {
  const told: string[] = [];
  const flow = new ServerSignIn({
    personPresent,
    tell: (text) => told.push(text),
    deadline: new AbortController().signal,
    deadlineAt: Date.now() + timeoutSeconds * 1000,
    timeoutSeconds,
  });
  return { flow, told };
}

const answer = (text: string, isError = true): CallToolResult => ({
  content: [{ type: "text", text }],
  isError,
});

describe("what a stdio server writes to stderr", () => {
  it("is kept readable and scrubbed; sign-in instructions are passed on without the log level", () => {
    const instructions: string[] = [];
    const stderr = new ServerStderr((text) => instructions.push(text));
    stderr.add(JSON.stringify({ level: "info", message: "ready" }));
    stderr.add(JSON.stringify({ level: "warn", message: DEVICE_CODE }));
    stderr.add(`debug: Authorization: Bearer ${JWT} refresh_token=0.AAAA-refresh&x=1`);
    expect(stderr.take()).toEqual([
      "info: ready",
      `warn: ${DEVICE_CODE}`,
      "debug: Authorization: Bearer [redacted token] refresh_token=[redacted]&x=1",
    ]);
    expect(stderr.take()).toBeUndefined();
    expect(instructions).toEqual([DEVICE_CODE]);
  });

  it("keeps the last lines of a chatty step, and says how many were left out", () => {
    const stderr = new ServerStderr(() => {});
    for (let i = 1; i <= 25; i++) stderr.add(`line ${i}`);
    const lines = stderr.take()!;
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe("(5 earlier lines left out)");
    expect(lines.at(-1)).toBe("line 25");
  });

  it("scrubs tokens, Entra client secrets, codes and credentials in parameters", () => {
    expect(scrubTokens(`access_token=${JWT} id_token: "${JWT}" then ${JWT}`)).toBe(
      'access_token=[redacted] id_token: "[redacted]" then [redacted token]',
    );
    expect(scrubTokens("secret abc8Q~abcdefghijklmnopqrstuvwxyz0123 set")).toBe(
      "secret [redacted secret] set",
    );
    expect(scrubTokens("GET /callback?state=s&code=1.dev.secret-code password=hunter22")).toBe(
      "GET /callback?state=s&code=[redacted] password=[redacted]",
    );
  });
});

describe("a server's sign-in", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("tells each instruction once, scrubbed, and recognises a tool's answer that asks for a sign-in", () => {
    const { flow, told } = signIn(true);
    const mark = flow.mark();
    flow.instruction(`${DEVICE_CODE} (${JWT})`);
    flow.instruction(`${DEVICE_CODE} (${JWT})`);
    // The same code worded otherwise (a tool's answer after the stderr line) is the same sign-in.
    flow.instruction(
      "Sign-in required: open https://localhost:44331/devicelogin and enter the code ABCD1234.",
    );
    expect(told).toEqual([`The server asks for a sign-in: ${DEVICE_CODE} ([redacted token])`]);
    flow.instruction(DEVICE_CODE.replace("ABCD1234", "WXYZ9876"));
    expect(told).toHaveLength(2);
    // An error after a stderr instruction during the call, or one whose text says how to sign in.
    expect(flow.asksForSignIn(answer("Sign-in required."), mark)).toBe(true);
    expect(flow.asksForSignIn(answer("Sign-in required."), flow.mark())).toBe(false);
    expect(flow.asksForSignIn(answer("To sign in, open https://login.example/device"), flow.mark())).toBe(
      true,
    );
    // A real answer, even one that mentions signing in, is not a request.
    expect(flow.asksForSignIn(answer("You signed in at https://example.com", false), 0)).toBe(false);
  });

  it("without a person: requests pending when the unattended time is up end with exit code 3", async () => {
    vi.useFakeTimers();
    const { flow } = signIn(false);
    const pending = flow.bounded(new Promise(() => {}));
    const settled = expect(pending).rejects.toBeInstanceOf(SignInRequiredError);
    flow.instruction(DEVICE_CODE);
    await vi.advanceTimersByTimeAsync(UNATTENDED_SIGN_IN_MS);
    await settled;
    await expect(pending).rejects.toMatchObject({ exitCode: 3, code: "SERVER_SIGN_IN_REQUIRED" });
  });

  it("without a person, --timeout bounds the unattended time; a finished sign-in stops the clock", async () => {
    vi.useFakeTimers();
    const short = signIn(false, 5);
    const pending = short.flow.bounded(new Promise(() => {}));
    const settled = expect(pending).rejects.toThrow("within 4 s");
    short.flow.instruction(DEVICE_CODE);
    await vi.advanceTimersByTimeAsync(4_000);
    await settled;

    const finished = signIn(false);
    finished.flow.instruction(DEVICE_CODE);
    finished.flow.finished();
    let ended = false;
    finished.flow.bounded(new Promise(() => {})).catch(() => (ended = true));
    await vi.advanceTimersByTimeAsync(UNATTENDED_SIGN_IN_MS * 2);
    expect(ended).toBe(false);
  });

  it("with a person: no unattended clock", async () => {
    vi.useFakeTimers();
    const { flow } = signIn(true);
    flow.instruction(DEVICE_CODE);
    let ended = false;
    flow.bounded(new Promise(() => {})).catch(() => (ended = true));
    await vi.advanceTimersByTimeAsync(UNATTENDED_SIGN_IN_MS * 2);
    expect(ended).toBe(false);
  });
});
