import { describe, expect, it } from "vitest";
import { InputAnswers } from "../../../src/test-flow/mcp-client/input-answers.js";
import { clientAuthentication } from "../../../src/test-flow/sign-in/client-authentication.js";

describe("answers to what a server asks in the middle of a call", () => {
  const form = (properties: Record<string, unknown>, required: string[] = []) => ({
    mode: "form" as const,
    message: "Tell me",
    requestedSchema: { type: "object" as const, properties, required },
  });

  it("accepts a form with the --args values it names; the schema's defaults fill the rest", () => {
    const answers = new InputAnswers();
    answers.use({ reason: "hotfix", unrelated: "x", nested: { a: 1 } });
    const schema = form({ reason: { type: "string" }, confirm: { type: "boolean", default: true } }, [
      "confirm",
    ]);
    expect(answers.elicit(schema as never)).toEqual({ action: "accept", content: { reason: "hotfix" } });
    expect(answers.take()).toEqual([{ method: "elicitation/create", answer: "accept (reason from --args)" }]);
  });

  it("declines a form whose required field has neither a value in --args nor a default, and a URL", () => {
    const answers = new InputAnswers();
    answers.use({});
    expect(answers.elicit(form({ name: { type: "string" } }, ["name"]) as never)).toEqual({
      action: "decline",
    });
    expect(
      answers.elicit({
        mode: "url",
        message: "Open",
        url: "https://example.com",
        elicitationId: "1",
      } as never),
    ).toEqual({ action: "decline" });
    expect(answers.roots()).toEqual({ roots: [] });
    expect(answers.take().map((answer) => answer.answer)).toEqual([
      "decline (no value for name in --args, and no default)",
      "decline (a URL elicitation: nobody here opens it)",
      "no roots",
    ]);
  });
});

describe("client authentication with a secret", () => {
  it("form-urlencodes id and secret in HTTP Basic (RFC 6749 §2.3.1); post puts both in the body", async () => {
    const information = { client_id: "job:1", client_secret: "a+b%c/=d ~" };
    const headers = new Headers();
    await clientAuthentication(information, "client_secret_basic")?.(headers, new URLSearchParams(), "x");
    const decoded = Buffer.from(headers.get("authorization")!.slice(6), "base64").toString();
    expect(decoded).toBe("job%3A1:a%2Bb%25c%2F%3Dd+%7E");
    const params = new URLSearchParams();
    await clientAuthentication(information, "client_secret_post")?.(new Headers(), params, "x");
    expect(Object.fromEntries(params)).toEqual({ client_id: "job:1", client_secret: "a+b%c/=d ~" });
    expect(clientAuthentication({ client_id: "public" }, "client_secret_basic")).toBeUndefined();
    expect(clientAuthentication(information, "none")).toBeUndefined();
  });
});
