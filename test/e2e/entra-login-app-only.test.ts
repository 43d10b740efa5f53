import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnvFile } from "../../src/core/env-file.js";
import { selfSignedCertificate } from "../helpers/certificate.js";
import { type DetachedTenant, JWT_PATTERN, startDetachedTenant } from "../helpers/detached-tenant.js";
import { tempDir } from "../helpers/dev-tenant.js";
import { assertBuilt } from "../helpers/run-cli.js";

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
describe("app-only login to an Entra tenant", () => {
  let tenant: DetachedTenant;
  let entraEnv: NodeJS.ProcessEnv;
  const outputs: string[] = [];
  const cli = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const result = await tenant.cli(args, { ...entraEnv, ...env });
    outputs.push(result.stdout, result.stderr);
    return result;
  };
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

  beforeAll(async () => {
    assertBuilt();
    tenant = await startDetachedTenant();
    entraEnv = {
      NODE_EXTRA_CA_CERTS: tenant.caFile,
      MCP_ENTRA_AUTHORITY_HOST: tenant.url,
      MCP_ENTRA_GRAPH_BASE_URL: tenant.url,
    };
  });
  afterAll(async () => {
    await tenant?.stop();
  });

  it("client credentials with a secret from MCP_ENTRA_CLIENT_SECRET (never stored)", async () => {
    const { env } = await automationApp([]);
    const secretEnv = { MCP_ENTRA_CLIENT_SECRET: env.ENTRA_CLIENT_SECRET! };
    const login = await cli(
      [
        "login",
        "--tenant",
        tenant.tenantId,
        "--method",
        "client-credentials",
        "--client-id",
        env.ENTRA_CLIENT_ID!,
      ],
      secretEnv,
    );
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(`Signed in to tenant ${tenant.tenantId}`);
    expect(login.stderr).toContain("The secret is not stored");
    await actsAsApp(env.ENTRA_CLIENT_ID!, secretEnv);
    const wrong = await cli(
      [
        "login",
        "--tenant",
        tenant.tenantId,
        "--method",
        "client-credentials",
        "--client-id",
        env.ENTRA_CLIENT_ID!,
      ],
      { MCP_ENTRA_CLIENT_SECRET: "not-the-secret" },
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("AADSTS7000215");
  });

  it("client credentials with a certificate (certificate and private key in one PEM)", async () => {
    const certificate = await selfSignedCertificate();
    const pem = join(await tempDir(), "automation.pem");
    await writeFile(pem, `${certificate.certPem}\n${certificate.privateKeyPem}`, { mode: 0o600 });
    const { env } = await automationApp(["--credential", "certificate", "--certificate", pem]);
    expect(env.ENTRA_CLIENT_SECRET).toBeUndefined();
    const login = await cli([
      "login",
      "--tenant",
      tenant.tenantId,
      "--method",
      "client-credentials",
      "--client-id",
      env.ENTRA_CLIENT_ID!,
      "--certificate",
      pem,
    ]);
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
    const login = await cli([
      "login",
      "--tenant",
      tenant.tenantId,
      "--method",
      "federated-token-file",
      "--client-id",
      env.ENTRA_CLIENT_ID!,
      "--federated-token-file",
      tokenFile,
    ]);
    expect(login.code, login.stderr).toBe(0);
    await actsAsApp(env.ENTRA_CLIENT_ID!);

    // A token for another repository matches no federated credential: AADSTS70021.
    await writeFile(tokenFile, await githubToken("contoso/other"));
    const refused = await cli([
      "login",
      "--tenant",
      tenant.tenantId,
      "--method",
      "federated-token-file",
      "--client-id",
      env.ENTRA_CLIENT_ID!,
      "--federated-token-file",
      tokenFile,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("AADSTS70021");
  });

  it("prints no token in any output", () => {
    for (const output of outputs) expect(output).not.toMatch(JWT_PATTERN);
  });
});
