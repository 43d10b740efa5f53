import { beforeAll, describe, expect, it } from "vitest";
import type { Ui } from "../../../src/core/ui.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { assertNoDuplicates, FAST_RETRY, projectFiles, registerWith } from "../../helpers/registration.js";

/**
 * A run that stops between two steps (the process died, the network went) and is run again at once,
 * while Graph still hides what the first run created (replication delay): the re-run finds or waits
 * for those objects instead of creating them twice, and completes the registration.
 */
describe("register: interrupted runs converge when run again", () => {
  const tenant = useDevTenant();
  let home: string;
  const register = registerWith(tenant, () => home, FAST_RETRY);

  beforeAll(async () => {
    home = await tempDir();
  });

  /** Makes the run stop when it reaches `step` (its progress message). */
  const stopAt = (step: string) => (ui: Ui) => {
    ui.spinner = async () => ({
      update: (text: string) => {
        if (text.startsWith(step)) throw new Error(`stopped before ${step}`);
      },
      succeed() {},
      fail() {},
      stop() {},
    });
  };

  const cases: { preset: string; flags: Record<string, unknown>; step: string }[] = [
    { preset: "remote", flags: { preset: "remote" }, step: "Service principal" },
    { preset: "remote", flags: { preset: "remote" }, step: "Credentials" },
    { preset: "remote", flags: { preset: "remote" }, step: "Admin consent" },
    { preset: "ci", flags: { preset: "ci", githubRepo: "o/r" }, step: "Service principal" },
    { preset: "ci", flags: { preset: "ci", githubRepo: "o/r" }, step: "Credentials" },
    { preset: "ci", flags: { preset: "ci", githubRepo: "o/r" }, step: "App role assignments" },
    { preset: "local", flags: { preset: "local" }, step: "Admin consent" },
  ];

  it.each(cases)("$preset stopped before $step", async ({ preset, flags, step }) => {
    const t = tenant();
    const dir = await tempDir("mcp-entra-project-");
    if (preset === "ci") await register(dir, { preset: "remote" });
    t.setFaults("replication:1500,seed:5");
    await expect(register(dir, flags, stopAt(step))).rejects.toThrow(`stopped before ${step}`);
    const stopped = await projectFiles(dir);
    expect(stopped.config.apps[preset]?.uniqueName).toBeTruthy();

    const { result } = await register(dir, flags);
    t.setFaults(undefined);
    assertNoDuplicates(t.store.state);
    const state = t.store.state;
    const apps = state.applications.filter(
      (app) => app.uniqueName === stopped.config.apps[preset]!.uniqueName,
    );
    expect(apps).toHaveLength(1);
    const sp = state.servicePrincipals.find((candidate) => candidate.appId === apps[0]!.appId)!;
    expect(result.outcome.servicePrincipal.id).toBe(sp.id);
    if (preset === "ci") {
      expect(state.appRoleAssignments.filter((a) => a.principalId === sp.id)).toHaveLength(1);
      expect(state.federatedIdentityCredentials[apps[0]!.id]).toHaveLength(1);
    } else {
      expect(state.oauth2PermissionGrants.filter((g) => g.clientId === sp.id)).toHaveLength(1);
    }
    if (preset === "remote") {
      const { env } = await projectFiles(dir);
      expect(apps[0]!.passwordCredentials.map((c) => c.keyId)).toEqual([
        result.outcome.secret?.current?.keyId,
      ]);
      expect(env.ENTRA_CLIENT_SECRET).toBeTruthy();
    }

    t.clearRequestLog();
    await register(dir, flags);
    expect(t.requestLog({ kind: "graph", writesOnly: true })).toEqual([]);
  });
});
