import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REGISTER_GRAPH_PERMISSIONS } from "../../src/entra/tenant-target.js";
import { GRAPH_CLI_CLIENT_ID, MICROSOFT_GRAPH_APP_ID } from "../../src/entra/well-known.js";
import { BROWSER_PROMPT, type CliProcess, DEVICE_CODE_PROMPT, startCli } from "../helpers/cli-process.js";
import type { DetachedTenant } from "../helpers/detached-tenant.js";
import { tempDir } from "../helpers/dev-tenant.js";
import { useEntraPath } from "../helpers/entra-path.js";
import { type FakeAzureCli, fakeAzureCli } from "../helpers/fake-azure-cli.js";
import { type SignInChoice, SignInDriver } from "../helpers/sign-in-driver.js";

/**
 * `mcp-entra login --tenant <t>` without an app of one's own, on the Entra path (the built binary, a
 * dev tenant reached as Entra through MCP_ENTRA_AUTHORITY_HOST / MCP_ENTRA_GRAPH_BASE_URL): Microsoft
 * Graph Command Line Tools with Entra's consent answers, the system browser (the test acts as it),
 * the Azure CLI's sign-in when `az` is signed in, and `--create-app`. Only `az` is a stand-in.
 */
// Several sign-ins per test, device codes polled at Entra's 5-second interval, on a shared machine.
describe("login to an Entra tenant without a bootstrap app of one's own", { timeout: 120_000 }, () => {
  const entra = useEntraPath();
  let tenant: DetachedTenant;
  let entraEnv: NodeJS.ProcessEnv;
  let admin: string;
  let member: string;
  let signedOutAz: FakeAzureCli;
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    entra().cli(args, { ...signedOutAz.env, ...env });
  const login = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    startCli(["login", "--tenant", tenant.tenantId, ...args], {
      home: tenant.home,
      env: { ...tenant.env, ...entraEnv, ...signedOutAz.env, ...env },
    });
  /** A person approves the next device code the process shows, on another device. */
  const approveDevice = async (process: CliProcess, choice: SignInChoice & { user: string }) => {
    const [, url, code] = await process.prompt(DEVICE_CODE_PROMPT);
    return new SignInDriver({ caPem: tenant.caPem, ...choice }).approveDeviceCode(url!, code!);
  };
  const finished = async (process: CliProcess) => {
    const result = await process.done();
    entra().keep(result.stdout, result.stderr);
    return result;
  };

  beforeAll(async () => {
    ({ tenant, env: entraEnv, admin, member } = entra());
    signedOutAz = await fakeAzureCli(undefined);
  });

  it("Microsoft Graph Command Line Tools: a member gets AADSTS90094 with what to do; an administrator consents for the organization", async () => {
    // No --method and no terminal: az is asked first (signed out), then a device code.
    const refused = login([]);
    const page = await approveDevice(refused, { user: member });
    // Entra's "Need admin approval" page, then AADSTS90094: the scopes register needs are admin-only.
    expect(page.kind === "page" && page.steps).toContain("admin-approval");
    expect(page.kind === "page" && page.aadsts).toBe(90094);
    const failed = await finished(refused);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("The Azure CLI is not signed in");
    expect(failed.stderr).toContain("through Microsoft Graph Command Line Tools failed: access_denied");
    expect(failed.stderr).toContain(`mcp-entra login --tenant ${tenant.tenantId} --create-app`);
    expect(failed.stderr).not.toMatch(/\n\s+at /);

    const consented = login(["--method", "device-code"]);
    const approved = await approveDevice(consented, { user: admin, consent: "accept-for-organization" });
    expect(approved.kind === "page" && approved.steps).toEqual(["sign-in", "consent", "device-done"]);
    const done = await finished(consented);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`as ${admin} with device-code through Microsoft Graph Command Line Tools`);
    const state = await tenant.state();
    const cliTools = state.servicePrincipals.find((sp) => sp.appId === GRAPH_CLI_CLIENT_ID)!;
    const graphSp = state.servicePrincipals.find((sp) => sp.appId === MICROSOFT_GRAPH_APP_ID)!;
    const grant = state.oauth2PermissionGrants.find(
      (g) => g.clientId === cliTools.id && g.resourceId === graphSp.id && g.consentType === "AllPrincipals",
    );
    expect(grant?.scope.split(" ").sort()).toEqual([...REGISTER_GRAPH_PERMISSIONS].sort());

    // Consent given for the organization: the member now signs in without any consent page.
    const again = login(["--method", "device-code"]);
    const memberPage = await approveDevice(again, { user: member });
    expect(memberPage.kind === "page" && memberPage.steps).toEqual(["sign-in", "device-done"]);
    expect((await finished(again)).code).toBe(0);

    const who = await cli(["whoami", "--json"]);
    expect(JSON.parse(who.stdout)).toMatchObject({
      tenant: { kind: "entra", id: tenant.tenantId },
      principal: { kind: "user", name: member },
      permissions: expect.arrayContaining(REGISTER_GRAPH_PERMISSIONS),
    });
    const register = await cli(["register", "--preset", "local", "--dir", await tempDir()]);
    expect(register.code, register.stderr).toBe(0);
    expect(register.stderr).toContain(
      `Using tenant ${tenant.tenantId} (signed in with device-code as ${member})`,
    );
  });

  it("--method browser: the system browser signs in on a loopback redirect (the test acts as the browser)", async () => {
    // BROWSER=true: the opener mcp-entra calls does nothing; the person follows the printed URL.
    const process = login(["--method", "browser"], { BROWSER: "true" });
    const [, url] = await process.prompt(BROWSER_PROMPT);
    expect(new URL(url!).searchParams.get("client_id")).toBe(GRAPH_CLI_CLIENT_ID);
    expect(new URL(url!).searchParams.get("redirect_uri")).toMatch(/^http:\/\/localhost:\d+$/);
    const outcome = await new SignInDriver({ caPem: tenant.caPem, user: admin }).authorize(url!);
    expect(outcome.kind).toBe("redirect");
    const done = await finished(process);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`as ${admin} with browser through Microsoft Graph Command Line Tools`);
    expect(JSON.parse((await cli(["whoami", "--json"])).stdout)).toMatchObject({
      principal: { kind: "user", name: admin },
      method: "browser",
    });
  });

  it("reuses the Azure CLI's sign-in when az is signed in to the tenant (no --method, no --client-id)", async () => {
    const az = await fakeAzureCli(tenant, admin);
    const done = await cli(["login", "--tenant", tenant.tenantId], az.env);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain(`Reusing the Azure CLI's sign-in to tenant ${tenant.tenantId}`);
    expect(done.stdout).toContain(`as ${admin} with azure-cli.`);
    expect(await az.calls()).toContain(
      `account get-access-token --resource-type ms-graph --output json --tenant ${tenant.tenantId}`,
    );
    const plan = await cli(["register", "--preset", "local", "--dir", await tempDir(), "--dry-run"], az.env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("POST /servicePrincipals");
  });

  it("--create-app: an administrator makes the bootstrap app, consents, and later sign-ins go through it", async () => {
    // Through the browser (the test acts as it, keeping its session like a browser would).
    const browser = new SignInDriver({ caPem: tenant.caPem, user: admin });
    const creating = login(["--create-app", "--method", "browser"], { BROWSER: "true" });
    const [, first] = await creating.prompt(BROWSER_PROMPT); // Microsoft Graph Command Line Tools
    expect(new URL(first!).searchParams.get("client_id")).toBe(GRAPH_CLI_CLIENT_ID);
    expect((await browser.authorize(first!)).kind).toBe("redirect");
    const [, second] = await creating.prompt(BROWSER_PROMPT); // the new app, admin consent granted
    const secondOutcome = await browser.authorize(second!);
    expect(secondOutcome.kind === "redirect" && secondOutcome.steps).toEqual(["form-post"]);
    const done = await finished(creating);
    expect(done.code, done.stderr).toBe(0);

    const state = await tenant.state();
    const apps = state.applications.filter((app) => app.uniqueName === "mcp-entra-bootstrap");
    expect(apps).toHaveLength(1);
    const app = apps[0]!;
    expect(new URL(second!).searchParams.get("client_id")).toBe(app.appId);
    const graphSp = state.servicePrincipals.find((sp) => sp.appId === MICROSOFT_GRAPH_APP_ID)!;
    const scopeId = (value: string) => graphSp.oauth2PermissionScopes.find((s) => s.value === value)!.id;
    expect(app).toMatchObject({
      signInAudience: "AzureADMyOrg",
      isFallbackPublicClient: true,
      publicClient: { redirectUris: ["http://localhost"] },
      web: { redirectUris: [] },
      requiredResourceAccess: [
        {
          resourceAppId: MICROSOFT_GRAPH_APP_ID,
          resourceAccess: REGISTER_GRAPH_PERMISSIONS.map((value) => ({ id: scopeId(value), type: "Scope" })),
        },
      ],
      passwordCredentials: [],
    });
    const sp = state.servicePrincipals.find((candidate) => candidate.appId === app.appId)!;
    const grant = state.oauth2PermissionGrants.find(
      (g) => g.clientId === sp.id && g.resourceId === graphSp.id,
    )!;
    expect(grant.consentType).toBe("AllPrincipals");
    expect(grant.scope.split(" ").sort()).toEqual([...REGISTER_GRAPH_PERMISSIONS].sort());
    const adminId = state.users.find((user) => user.userPrincipalName === admin)!.id;
    expect(state.owners[app.id]).toContain(adminId);
    expect(done.stdout).toContain(`through the bootstrap app ${app.appId}`);
    expect(done.stderr).toContain(`--client-id ${app.appId}`);
    const settings = JSON.parse(await readFile(join(tenant.home, "config.json"), "utf8"));
    expect(settings.bootstrapApps).toEqual([
      expect.objectContaining({ tenantId: tenant.tenantId, clientId: app.appId }),
    ]);

    // The tenant's next sign-in goes through the remembered app, without --client-id.
    const later = login(["--method", "device-code"]);
    await approveDevice(later, { user: member });
    const laterDone = await finished(later);
    expect(laterDone.code, laterDone.stderr).toBe(0);
    expect(laterDone.stderr).toContain(`through the bootstrap app ${app.appId}`);

    // Run again: the same app is found, not a second one made.
    const rerun = login(["--create-app", "--method", "browser"], { BROWSER: "true" });
    await browser.authorize((await rerun.prompt(BROWSER_PROMPT))[1]!);
    await browser.authorize((await rerun.prompt(BROWSER_PROMPT))[1]!);
    const rerunDone = await finished(rerun);
    expect(rerunDone.code, rerunDone.stderr).toBe(0);
    expect(rerunDone.stderr).toContain("Found the bootstrap app");
    expect(
      (await tenant.state()).applications.filter((a) => a.uniqueName === "mcp-entra-bootstrap"),
    ).toHaveLength(1);
  });

  it("prints no token in any output", () => {
    entra().expectNoTokens();
  });
});
