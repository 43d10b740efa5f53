import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DetachedTenant, startDetachedTenant } from "../helpers/detached-tenant.js";
import { tempDir } from "../helpers/dev-tenant.js";
import { assertBuilt, runCli } from "../helpers/run-cli.js";

/**
 * Bad input to `register` and `login` through the built binary: exit code 2, one line on stderr that
 * names the flag and says what to do, no stack trace, and nothing written — no mcp-entra.json or
 * .env, no sign-in remembered, no Graph write.
 */
const NOT_A_GUID = "not-a-guid";

const registerCases: { name: string; args: string[]; flag: string }[] = [
  {
    name: "a bad GUID for --pre-authorize",
    args: ["--preset", "remote", "--pre-authorize", NOT_A_GUID],
    flag: "--pre-authorize",
  },
  { name: "a bad GUID for --api", args: ["--preset", "ci", "--api", NOT_A_GUID], flag: "--api" },
  {
    name: "a bad GUID for --service-management-reference",
    args: ["--preset", "remote", "--service-management-reference", "12345"],
    flag: "--service-management-reference",
  },
  ...(["--redirect-uri", "--web-redirect-uri", "--spa-redirect-uri", "--public-redirect-uri"] as const).map(
    (flag) => ({
      name: `an http redirect URI off loopback for ${flag}`,
      args: ["--preset", "remote", flag, "http://app.example.com/callback"],
      flag,
    }),
  ),
  { name: "an unknown preset", args: ["--preset", "desktop"], flag: "--preset" },
  {
    name: "a --name longer than 120 characters",
    args: ["--preset", "remote", "--name", "n".repeat(121)],
    flag: "--name",
  },
  {
    name: "--github-ref without --github-repo",
    args: ["--preset", "ci", "--github-ref", "refs/heads/main"],
    flag: "--github-repo",
  },
  {
    name: "an unknown --graph-permission",
    args: ["--preset", "remote", "--graph-permission", "Mail.Nuke"],
    flag: "--graph-permission",
  },
  {
    name: "a --secret-lifetime that is no number",
    args: ["--preset", "remote", "--secret-lifetime", "forever"],
    flag: "--secret-lifetime",
  },
  {
    name: "a --secret-lifetime over two years",
    args: ["--preset", "remote", "--secret-lifetime", "1000"],
    flag: "--secret-lifetime",
  },
  {
    name: "a bad --token-version",
    args: ["--preset", "remote", "--token-version", "3"],
    flag: "--token-version",
  },
  {
    name: "--scope with --preset local",
    args: ["--preset", "local", "--scope", "tools.read"],
    flag: "--scope",
  },
  {
    name: "a --certificate that holds no certificate",
    args: ["--preset", "remote", "--credential", "certificate", "--certificate", "package.json"],
    flag: "--certificate",
  },
];

const loginCases: { name: string; args: string[]; flag: string }[] = [
  {
    name: "a bad GUID for login --client-id",
    args: [
      "login",
      "--tenant",
      "contoso.onmicrosoft.com",
      "--method",
      "device-code",
      "--client-id",
      NOT_A_GUID,
    ],
    flag: "--client-id",
  },
  { name: "login --tenant with a bad value", args: ["login", "--tenant", "not a tenant!"], flag: "--tenant" },
  {
    name: "login --tenant with a URL",
    args: ["login", "--tenant", "https://login.microsoftonline.com/x"],
    flag: "--tenant",
  },
  {
    name: "login --create-app with --client-id",
    args: [
      "login",
      "--tenant",
      "contoso.onmicrosoft.com",
      "--create-app",
      "--client-id",
      "00000000-0000-4000-8000-000000000001",
    ],
    flag: "--create-app",
  },
  { name: "login --create-app for the dev tenant", args: ["login", "--create-app"], flag: "--create-app" },
];

/** stderr minus the note that says which dev tenant is used (commands always say it). */
function errorLines(stderr: string): string[] {
  return stderr
    .trim()
    .split("\n")
    .filter((line) => line && !line.startsWith("Using the dev tenant at "));
}

function expectOneLineNaming(result: { code: number; stderr: string; stdout: string }, flag: string) {
  expect(result.code, result.stderr).toBe(2);
  const lines = errorLines(result.stderr);
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toContain(flag);
  expect(lines[0]).toMatch(/Fix: |Allowed choices are /);
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(result.stdout).toBe("");
}

describe("bad input to register and login (built binary)", () => {
  let tenant: DetachedTenant;

  beforeAll(async () => {
    assertBuilt();
    tenant = await startDetachedTenant();
  });
  afterAll(async () => {
    await tenant?.stop();
  });

  it.each(registerCases)("register: $name", async ({ args, flag }) => {
    const dir = await tempDir("mcp-entra-project-");
    await tenant.clearLog();
    const result = await tenant.cli(["register", "--dir", dir, ...args]);
    expectOneLineNaming(result, flag);
    expect(await readdir(dir)).toEqual([]);
    expect(await tenant.graphLog({ writesOnly: true })).toEqual([]);
  });

  it("register: an https --server-url off the tenant's verified domains names --server-url (checked against the tenant)", async () => {
    const dir = await tempDir("mcp-entra-project-");
    await tenant.clearLog();
    const result = await tenant.cli([
      "register",
      "--dir",
      dir,
      "--preset",
      "remote",
      "--server-url",
      "https://mcp.example.com/mcp",
    ]);
    expectOneLineNaming(result, "--server-url");
    expect(result.stderr).toContain("mcp.example.com is not on a verified domain");
    expect(await readdir(dir)).toEqual([]);
    // The tenant was asked (its verified domains) but nothing was written.
    expect((await tenant.graphLog()).map((entry) => entry.path)).toContain("/v1.0/organization");
    expect(await tenant.graphLog({ writesOnly: true })).toEqual([]);
  });

  it.each(loginCases)("$name", async ({ args, flag }) => {
    const home = await tempDir();
    const result = await runCli(args, { home });
    expectOneLineNaming(result, flag);
    expect(await readdir(home)).toEqual([]);
  });

  it("login --method azure-cli without az on PATH is exit 2 naming --method", async () => {
    const home = await tempDir();
    const result = await runCli(["login", "--tenant", "contoso.onmicrosoft.com", "--method", "azure-cli"], {
      home,
      env: { PATH: "/nonexistent" },
    });
    expectOneLineNaming(result, "--method");
    expect(await readdir(home)).toEqual([]);
  });
});
