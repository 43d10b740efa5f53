import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { trustedFetch } from "../../src/entra/trust.js";
import { GRAPH_CLI_CLIENT_ID } from "../../src/entra/well-known.js";
import { BROWSER_PROMPT, type CliProcess, DEVICE_CODE_PROMPT, startCli } from "../helpers/cli-process.js";
import type { DetachedTenant } from "../helpers/detached-tenant.js";
import { useEntraPath } from "../helpers/entra-path.js";
import { type FakeAzureCli, fakeAzureCli } from "../helpers/fake-azure-cli.js";
import { SignInDriver } from "../helpers/sign-in-driver.js";

/**
 * An organisation that restricts Microsoft Graph Command Line Tools to assigned users ("assignment
 * required" on its service principal, set through Graph as an administrator would): members get
 * AADSTS50105 and are told about `--create-app`; the administrator, signed in to the Azure CLI (an
 * `az` stand-in: the one thing mocked), creates the bootstrap app, and members sign in through it.
 */
// Several sign-ins per test, device codes polled at Entra's 5-second interval, on a shared machine.
describe("login where Microsoft Graph Command Line Tools is blocked", { timeout: 120_000 }, () => {
  const entra = useEntraPath();
  let tenant: DetachedTenant;
  let admin: string;
  let member: string;
  let adminAz: FakeAzureCli;
  const run = async (args: string[], env: NodeJS.ProcessEnv, act: (p: CliProcess) => Promise<void>) => {
    const process = startCli(["login", "--tenant", tenant.tenantId, ...args], {
      home: tenant.home,
      env: { ...tenant.env, ...entra().env, BROWSER: "true", ...env },
    });
    await act(process);
    const result = await process.done();
    entra().keep(result.stdout, result.stderr);
    return result;
  };

  beforeAll(async () => {
    ({ tenant, admin, member } = entra());
    adminAz = await fakeAzureCli(tenant, admin);
    // The administrator requires assignment on the Graph Command Line Tools, through Graph.
    const token = JSON.parse(await readFile(join(adminAz.env.PATH.split(":")[0]!, "token.json"), "utf8"));
    const graph = (path: string, init: RequestInit = {}) =>
      trustedFetch([tenant.caPem])(`${tenant.url}/v1.0${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token.accessToken}`, "content-type": "application/json" },
      });
    const sp = await (await graph(`/servicePrincipals(appId='${GRAPH_CLI_CLIENT_ID}')?$select=id`)).json();
    const patched = await graph(`/servicePrincipals/${sp.id}`, {
      method: "PATCH",
      body: JSON.stringify({ appRoleAssignmentRequired: true }),
    });
    expect(patched.status).toBe(204);
  });

  it("a member gets AADSTS50105 and is pointed at --create-app", async () => {
    const signedOut = await fakeAzureCli(undefined);
    const result = await run(["--method", "browser"], signedOut.env, async (process) => {
      const [, url] = await process.prompt(BROWSER_PROMPT);
      const outcome = await new SignInDriver({ caPem: tenant.caPem, user: member }).authorize(url!);
      expect(outcome.kind === "redirect" && outcome.params.error_description).toMatch(/^AADSTS50105:/);
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("through Microsoft Graph Command Line Tools failed: AADSTS50105");
    expect(result.stderr).toContain(`mcp-entra login --tenant ${tenant.tenantId} --create-app`);
  });

  it("the administrator creates the bootstrap app through the Azure CLI; members sign in through it", async () => {
    const created = await run(["--create-app", "--method", "azure-cli"], adminAz.env, async (process) => {
      // The Azure CLI's token creates the app; the sign-in through the new app is the administrator's own.
      const [, url, code] = await process.prompt(DEVICE_CODE_PROMPT);
      await new SignInDriver({ caPem: tenant.caPem, user: admin }).approveDeviceCode(url!, code!);
    });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain("Created the bootstrap app");
    const clientId = created.stderr.match(/--client-id ([0-9a-f-]{36})/)![1]!;
    expect(await adminAz.calls()).toContain("account get-access-token --resource-type ms-graph");

    const signedOut = await fakeAzureCli(undefined);
    const memberLogin = await run(
      ["--client-id", clientId, "--method", "browser"],
      signedOut.env,
      async (process) => {
        const [, url] = await process.prompt(BROWSER_PROMPT);
        const outcome = await new SignInDriver({ caPem: tenant.caPem, user: member }).authorize(url!);
        // Admin consent was granted when the app was made: no consent page for the member.
        expect(outcome.kind === "redirect" && outcome.steps).toEqual(["sign-in", "form-post"]);
      },
    );
    expect(memberLogin.code, memberLogin.stderr).toBe(0);
    expect(memberLogin.stdout).toContain(`as ${member} with browser through app ${clientId}`);
  });

  it("prints no token in any output", () => {
    entra().expectNoTokens();
  });
});
