import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { headlessAgent } from "../../../src/test-flow/sign-in/headless-agent.js";

/**
 * The headless agent on an authorization server that asks for consent on a page the way the proxy
 * template does (a cookie from /authorize, a form with a CSRF token): it answers only for the client
 * test-flow signs in as, only on that server's origin, carrying the browser's cookie, and says so.
 * (proxy-template-flow.test.ts runs it against the real proxy.)
 */
describe("the headless agent on a consent page", () => {
  let server: Server;
  let origin: string;
  const posted: { cookie?: string; body: string }[] = [];
  /** What the consent page of the next sign-in names, and where its form posts. */
  let page = { clientId: "my-client", action: "/consent" };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/authorize") {
        res.writeHead(302, { Location: "/consent?request=r1", "Set-Cookie": "sign-in=b1; Path=/; HttpOnly" });
        return res.end();
      }
      if (url.pathname === "/consent" && req.method === "GET") {
        res.writeHead(200, { "Content-Type": "text/html" });
        return res.end(
          `<p>Allow?</p><form method="post" action="${page.action}" data-mcp-consent data-client-id="${page.clientId}" data-user="adele@contoso.test"><input type="hidden" name="request" value="r1"><input type="hidden" name="csrf" value="t&amp;1"><button name="decision" value="deny">Deny</button><button name="decision" value="allow">Allow</button></form>`,
        );
      }
      if (url.pathname === "/consent") {
        let body = "";
        req.on("data", (chunk) => {
          body += chunk;
        });
        req.on("end", () => {
          posted.push({ cookie: req.headers.cookie, body });
          res.writeHead(303, { Location: `${origin}/callback?code=c1&state=s1` }).end();
        });
        return;
      }
      res.writeHead(200).end("delivered");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const run = async (clientId: string) => {
    const notes: string[] = [];
    const agent = headlessAgent(
      (input, init) => fetch(input, init),
      (url) => url.startsWith(`${origin}/callback`),
      { clientId, allowed: (text) => notes.push(text) },
    );
    await agent(new URL(`${origin}/authorize`));
    return notes;
  };

  it("allows its own client, with the browser's cookie and the form's fields, and says so", async () => {
    page = { clientId: "my-client", action: "/consent" };
    const notes = await run("my-client");
    expect(notes).toEqual(["allowed client my-client on the server's consent page as adele@contoso.test"]);
    expect(posted.at(-1)).toEqual({ cookie: "sign-in=b1", body: "request=r1&csrf=t%261&decision=allow" });
  });

  it("does not answer a page about another client, nor a form that posts elsewhere", async () => {
    const before = posted.length;
    page = { clientId: "someone-else", action: "/consent" };
    await expect(run("my-client")).rejects.toMatchObject({ code: "CONSENT_FOR_ANOTHER_CLIENT", exitCode: 3 });
    page = { clientId: "my-client", action: "https://elsewhere.example/consent" };
    await expect(run("my-client")).rejects.toMatchObject({ code: "CONSENT_FORM_ELSEWHERE" });
    expect(posted.length).toBe(before);
  });

  it("without a consent agent, a consent page is a page for a person", async () => {
    page = { clientId: "my-client", action: "/consent" };
    const agent = headlessAgent(
      (input, init) => fetch(input, init),
      () => false,
    );
    await expect(agent(new URL(`${origin}/authorize`))).rejects.toMatchObject({
      code: "INTERACTIVE_SIGN_IN_NEEDED",
    });
  });
});
