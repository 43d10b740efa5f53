import { rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../helpers/dev-tenant.js";
import { fakeBrowser } from "../../helpers/fake-browser.js";
import { expectValidReport } from "../../helpers/report-schema.js";
import { withSpecFixture } from "../../helpers/spec-fixture.js";
import { runFlow, step } from "../../helpers/test-flow.js";

/** Sign-in methods, step-up and its bound, against the spec fixture. */
describe("test-flow sign-in and step-up (spec authorization server)", () => {
  it("steps up on 403 insufficient_scope and calls the tool again", async () => {
    await withSpecFixture(
      { dcr: true },
      { prm: "path-aware", challengeScope: "mcp:tools" },
      async ({ as, mcp, home }) => {
        const { report } = await runFlow({
          serverUrl: mcp.url,
          home,
          auth: "headless",
          tool: "admin-report",
        });
        expectValidReport(report);
        expect(report.exitCode).toBe(0);
        expect(report.steps.map((s) => `${s.id}#${s.attempt}:${s.status}`).slice(4)).toEqual([
          "authorization#1:passed",
          "token#1:passed",
          "session#1:passed",
          "tools-list#1:passed",
          "tools-call#1:retried",
          "authorization#2:passed",
          "token#2:passed",
          "tools-call#2:passed",
        ]);
        expect(as.authorizeRequests).toHaveLength(2);
        expect(as.authorizeRequests[1]?.params.scope).toBe("mcp:tools mcp:admin");
        expect(as.authorizeRequests[1]?.params.resource).toBe(mcp.url);
        expect(step(report, "tools-call", 2).evidence.text).toBe("admin report: all good");
      },
    );
  });

  it("stops after 3 authorization attempts when the scope is never granted", async () => {
    await withSpecFixture(
      { dcr: true, grantable: ["mcp:tools"] },
      { prm: "path-aware" },
      async ({ as, mcp, home }) => {
        const { report, output } = await runFlow({
          serverUrl: mcp.url,
          home,
          auth: "headless",
          tool: "admin-report",
        });
        expectValidReport(report);
        expect(report.exitCode).toBe(1);
        expect(as.authorizeRequests).toHaveLength(3);
        const last = step(report, "tools-call", 3);
        expect(last.status).toBe("failed");
        expect(last.error?.code).toBe("STEP_UP_LIMIT");
        expect(output).toContain("after 3 authorization attempts");
      },
    );
  });

  it("app-only tokens step up too (a new client credentials request for the union); the limit names the missing scope", async () => {
    await withSpecFixture(
      {
        clients: { svc: { method: "client_secret_basic", secret: "svc-secret-000111" } },
        grantable: ["mcp:tools"],
      },
      { prm: "path-aware", challengeScope: "mcp:tools" },
      async ({ mcp, home }) => {
        const { report } = await runFlow({
          serverUrl: mcp.url,
          home,
          auth: "client-credentials",
          clientId: "svc",
          clientSecret: "svc-secret-000111",
          tool: "admin-report",
        });
        expect(report.exitCode).toBe(1);
        expect(step(report, "token", 2).evidence.scope).toBe("mcp:tools mcp:admin");
        const last = report.steps.findLast((item) => item.id === "tools-call");
        expect(last?.error?.code).toBe("STEP_UP_LIMIT");
        expect(last?.error?.message).toContain('the token lacks "mcp:admin"');
      },
    );
  });

  it("--auth browser opens the system browser, prints the URL, and receives the code on the loopback redirect", async () => {
    await withSpecFixture({ dcr: true }, { prm: "path-aware" }, async ({ mcp, home }) => {
      const browser = fakeBrowser();
      const { report, output } = await runFlow(
        { serverUrl: mcp.url, home, auth: "browser" },
        { personPresent: true, openUrl: browser.openUrl },
      );
      expect(report.exitCode).toBe(0);
      expect(browser.opened).toHaveLength(1);
      expect(output).toContain(browser.opened[0]);
      expect(step(report, "authorization").evidence["user agent"]).toBe("system browser");
    });
  });

  it("refuses an authorization response whose state does not match", async () => {
    await withSpecFixture({ dcr: true }, { prm: "path-aware" }, async ({ as, mcp, home }) => {
      const browser = fakeBrowser({ tamper: true });
      const { report } = await runFlow(
        { serverUrl: mcp.url, home, auth: "browser" },
        { personPresent: true, openUrl: browser.openUrl },
      );
      expect(report.exitCode).toBe(1);
      expect(step(report, "authorization").error?.code).toBe("STATE_MISMATCH");
      expect(as.tokenRequests).toHaveLength(0);
    });
  });

  it("defaults to the browser on a terminal", async () => {
    await withSpecFixture({ dcr: true }, { prm: "path-aware" }, async ({ mcp, home }) => {
      const browser = fakeBrowser();
      const { report } = await runFlow(
        { serverUrl: mcp.url, home },
        { personPresent: true, openUrl: browser.openUrl },
      );
      expect(report.signIn).toEqual({ method: "browser", reason: "default on a terminal" });
      expect(report.exitCode).toBe(0);
    });
  });

  it("needs a person for --auth browser: exit 3 without a terminal", async () => {
    await withSpecFixture({ dcr: true }, { prm: "path-aware" }, async ({ as, mcp, home }) => {
      const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "browser" });
      expect(report.exitCode).toBe(3);
      expect(step(report, "authorization").error?.code).toBe("SIGN_IN_NEEDS_A_PERSON");
      expect(as.authorizeRequests).toHaveLength(0);
    });
  });

  it("headless sign-in against a login page is 'sign-in required' (exit 3)", async () => {
    await withSpecFixture(
      { dcr: true, interactiveLogin: true },
      { prm: "path-aware" },
      async ({ mcp, home }) => {
        const { report, output } = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expectValidReport(report);
        expect(report.exitCode).toBe(3);
        expect(step(report, "authorization").error?.code).toBe("INTERACTIVE_SIGN_IN_NEEDED");
        expect(output).toContain("--auth browser");
      },
    );
  });

  it("--auth device-code is for Entra and the dev tenant only", async () => {
    await withSpecFixture({ dcr: true }, { prm: "path-aware" }, async ({ mcp, home }) => {
      const { report } = await runFlow({ serverUrl: mcp.url, home, auth: "device-code", clientId: "x" });
      expect(report.exitCode).toBe(2);
      expect(step(report, "authorization-server-metadata").error?.code).toBe("DEVICE_CODE_UNSUPPORTED");
    });
  });

  it("--timeout bounds the wait for the browser and for a server that does not answer", async () => {
    await withSpecFixture({ dcr: true }, { prm: "path-aware" }, async ({ as, mcp, home }) => {
      const { report } = await runFlow(
        { serverUrl: mcp.url, home, auth: "browser", timeout: "1" },
        { personPresent: true, openUrl: async () => undefined },
      );
      expect(report.exitCode).toBe(1);
      expect(step(report, "authorization").error?.code).toBe("SIGN_IN_TIMEOUT");
      expect(as.tokenRequests).toHaveLength(0);
    });
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const home = await tempDir();
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/mcp`;
      const { report } = await runFlow({ serverUrl: url, home, auth: "headless", timeout: "1" });
      expect(report.exitCode).toBe(1);
      expect(step(report, "challenge").error?.code).toBe("TIMEOUT");
    } finally {
      silent.closeAllConnections();
      silent.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});
