import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readEnvFile } from "../../src/core/env-file.js";
import { selfSignedCertificate } from "../helpers/certificate.js";
import type { DetachedTenant } from "../helpers/detached-tenant.js";
import { tempDir } from "../helpers/dev-tenant.js";
import { useEntraPath } from "../helpers/entra-path.js";

/** The application permissions an automation's app needs to run `register` app-only. */
const AUTOMATION_PERMISSIONS = [
  "Application.ReadWrite.All",
  "AppRoleAssignment.ReadWrite.All",
  "DelegatedPermissionGrant.ReadWrite.All",
];

/**
 * App-only `login` on the Entra path (the built binary; a dev tenant reached as Entra through
 * MCP_ENTRA_AUTHORITY_HOST): client credentials with a secret and with a certificate, and a federated
 * token file (the dev tenant's GitHub Actions OIDC stand-in). Each app is registered first with the
 * Graph application permissions `register` needs (`--graph-app-permission`, admin-consented), then
 * signs in, says who it is, and registers an app of its own.
 */
// Several sign-ins per test, device codes polled at Entra's 5-second interval, on a shared machine.
describe("app-only login to an Entra tenant", { timeout: 120_000 }, () => {
  const entra = useEntraPath();
  let tenant: DetachedTenant;
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => entra().cli(args, env);
  beforeAll(() => {
    tenant = entra().tenant;
  });
  /** An app with Graph's application permissions, registered in the dev tenant by its administrator. */
  const automationApp = async (flags: string[]) => {
    const dir = await tempDir("mcp-entra-automation-");
    const registered = await tenant.cli([
      "register",
      "--tenant",
      "dev", // the dev tenant's own administrator, whatever the last login chose
      "--preset",
      "remote",
      "--dir",
      dir,
      "--no-pre-authorize-vscode",
      "--graph-app-permission",
      AUTOMATION_PERMISSIONS.join(","),
      ...flags,
    ]);
    expect(registered.code, registered.stderr).toBe(0);
    return { dir, env: await readEnvFile(join(dir, ".env")) };
  };
  /** Signed in as the app: whoami names it with its roles, and register works app-only. */
  const actsAsApp = async (appId: string, env: NodeJS.ProcessEnv = {}) => {
    const who = await cli(["whoami", "--json"], env);
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({
      tenant: { kind: "entra", id: tenant.tenantId },
      principal: { kind: "app", appId },
      permissions: expect.arrayContaining(AUTOMATION_PERMISSIONS),
    });
    const register = await cli(["register", "--preset", "local", "--dir", await tempDir()], env);
    expect(register.code, register.stderr).toBe(0);
    expect(register.stderr).toContain(`Using tenant ${tenant.tenantId} (signed in with`);
  };

  /** `login --method <method> --client-id <id>` on the Entra path, with the credential's flags. */
  const loginAsApp = (method: string, clientId: string, flags: string[] = [], env: NodeJS.ProcessEnv = {}) =>
    cli(["login", "--tenant", tenant.tenantId, "--method", method, "--client-id", clientId, ...flags], env);

  it("client credentials with a secret from MCP_ENTRA_CLIENT_SECRET (never stored)", async () => {
    const { env } = await automationApp([]);
    const secretEnv = { MCP_ENTRA_CLIENT_SECRET: env.ENTRA_CLIENT_SECRET! };
    const login = await loginAsApp("client-credentials", env.ENTRA_CLIENT_ID!, [], secretEnv);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(`Signed in to tenant ${tenant.tenantId}`);
    expect(login.stderr).toContain("The secret is not stored");
    await actsAsApp(env.ENTRA_CLIENT_ID!, secretEnv);
    const wrong = await loginAsApp("client-credentials", env.ENTRA_CLIENT_ID!, [], {
      MCP_ENTRA_CLIENT_SECRET: "not-the-secret",
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("AADSTS7000215");
  });

  it("client credentials with a certificate (certificate and private key in one PEM)", async () => {
    const certificate = await selfSignedCertificate();
    const pem = join(await tempDir(), "automation.pem");
    await writeFile(pem, `${certificate.certPem}\n${certificate.privateKeyPem}`, { mode: 0o600 });
    const { env } = await automationApp(["--credential", "certificate", "--certificate", pem]);
    expect(env.ENTRA_CLIENT_SECRET).toBeUndefined();
    const login = await loginAsApp("client-credentials", env.ENTRA_CLIENT_ID!, ["--certificate", pem]);
    expect(login.code, login.stderr).toBe(0);
    await actsAsApp(env.ENTRA_CLIENT_ID!);
  });

  it("a federated token file: a GitHub Actions OIDC token, read again whenever a token is needed", async () => {
    const { env } = await automationApp(["--github-repo", "contoso/mcp-server"]);
    expect(env.ENTRA_CLIENT_SECRET).toBeUndefined();
    // What the job's OIDC token request would hand out, from the dev tenant's GitHub Actions stand-in.
    const githubToken = async (repository: string) =>
      (await tenant.admin.request<{ value: string }>("POST", "/github-actions-token", { repository })).value;
    const tokenFile = join(await tempDir(), "oidc-token");
    await writeFile(tokenFile, await githubToken("contoso/mcp-server"), { mode: 0o600 });
    const login = await loginAsApp("federated-token-file", env.ENTRA_CLIENT_ID!, [
      "--federated-token-file",
      tokenFile,
    ]);
    expect(login.code, login.stderr).toBe(0);
    await actsAsApp(env.ENTRA_CLIENT_ID!);

    // A token for another repository matches no federated credential's subject: AADSTS700213.
    await writeFile(tokenFile, await githubToken("contoso/other"));
    const refused = await loginAsApp("federated-token-file", env.ENTRA_CLIENT_ID!, [
      "--federated-token-file",
      tokenFile,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("AADSTS700213");
  });

  it("prints no token in any output", () => {
    entra().expectNoTokens();
  });
});
