import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StoredSession } from "../../../src/test-flow/sign-in/session-store.js";
import { withSpecFixture } from "../../helpers/spec-fixture.js";
import { runFlow, step } from "../../helpers/test-flow.js";

async function sessionFile(home: string): Promise<string> {
  const dir = join(home, "test-flow", "sessions");
  const [file] = await readdir(dir);
  return join(dir, file!);
}

async function editSession(home: string, edit: (session: Required<StoredSession>) => void): Promise<void> {
  const file = await sessionFile(home);
  const session = JSON.parse(await readFile(file, "utf8")) as Required<StoredSession>;
  edit(session);
  await writeFile(file, JSON.stringify(session));
}

/** Stored sessions: reuse, refresh before a new sign-in, --fresh, and what happens without a person. */
describe("test-flow stored sessions (spec authorization server)", () => {
  it("stores the sign-in (0600), reuses it, refreshes it when expired, and signs in again when refresh fails", async () => {
    await withSpecFixture(
      { dcr: true },
      { prm: "path-aware", challengeScope: "mcp:tools" },
      async ({ as, mcp, home }) => {
        const first = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expect(first.report.exitCode).toBe(0);
        const file = await sessionFile(home);
        expect((await stat(file)).mode & 0o777).toBe(0o600);

        const reused = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expect(reused.report.exitCode).toBe(0);
        expect(step(reused.report, "authorization").status).toBe("skipped");
        expect(step(reused.report, "token").evidence.source).toContain("stored");
        expect(as.authorizeRequests).toHaveLength(1);
        expect(as.registrations).toHaveLength(1);

        await editSession(home, (session) => {
          session.obtainedAt = Date.now() - 2 * 3600 * 1000;
        });
        const refreshed = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expect(refreshed.report.exitCode).toBe(0);
        expect(step(refreshed.report, "token").evidence.grant_type).toBe("refresh_token");
        expect(as.authorizeRequests).toHaveLength(1);
        const refresh = as.tokenRequests.find((request) => request.grantType === "refresh_token");
        expect(refresh?.params.resource).toBe(mcp.url);
        expect(refresh?.params.scope).toBe("mcp:tools");

        await editSession(home, (session) => {
          session.obtainedAt = Date.now() - 2 * 3600 * 1000;
          session.tokens.refresh_token = "not-a-refresh-token";
        });
        const again = await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
        expect(again.report.exitCode).toBe(0);
        expect(step(again.report, "token").status).toBe("retried");
        expect(step(again.report, "authorization", 2).status).toBe("passed");
        expect(as.authorizeRequests).toHaveLength(2);
      },
    );
  });

  it("--fresh ignores the stored sign-in", async () => {
    await withSpecFixture({ dcr: true }, { prm: "path-aware" }, async ({ as, mcp, home }) => {
      await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      const fresh = await runFlow({ serverUrl: mcp.url, home, auth: "headless", fresh: true });
      expect(fresh.report.options?.fresh).toBe(true);
      expect(step(fresh.report, "authorization").status).toBe("passed");
      expect(as.authorizeRequests).toHaveLength(2);
    });
  });

  it("without a terminal and without --auth: usage error first; the stored sign-in later; exit 3 once it is gone", async () => {
    await withSpecFixture({ dcr: true }, { prm: "path-aware" }, async ({ mcp, home }) => {
      const none = await runFlow({ serverUrl: mcp.url, home });
      expect(none.report.exitCode).toBe(2);
      expect(none.report.signIn).toEqual({ method: "none", reason: "no terminal and no --auth" });
      expect(none.output).toContain("--auth client-credentials");

      await runFlow({ serverUrl: mcp.url, home, auth: "headless" });
      const stored = await runFlow({ serverUrl: mcp.url, home });
      expect(stored.report.exitCode).toBe(0);

      await editSession(home, (session) => {
        session.obtainedAt = Date.now() - 2 * 3600 * 1000;
        session.tokens.refresh_token = "not-a-refresh-token";
      });
      const expired = await runFlow({ serverUrl: mcp.url, home });
      expect(expired.report.exitCode).toBe(3);
      expect(expired.report.outcome).toBe("sign-in-required");
    });
  });
});
