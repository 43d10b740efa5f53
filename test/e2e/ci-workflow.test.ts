import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir, useDevTenant } from "../helpers/dev-tenant.js";
import { freePort, run, type SpawnedServer, spawnServer } from "../helpers/generated-project.js";
import { type JobResult, type RunnerSetup, runWorkflow } from "../helpers/github-runner.js";
import { installPackedMcpEntra, type PackedInstall } from "../helpers/packed-install.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * The generated `.github/workflows/ci.yml`, run as GitHub would run it, on a project a user has: made
 * with `mcp-entra init` from the package installed from npm (so its package.json and lock file are
 * what they commit), registered for CI with the `ci` preset (a federated credential for GitHub's
 * OIDC issuer, for which the dev tenant stands in), its server deployed (running here). The jobs run
 * in order in fresh clones with the repository variables the README names; the runner machine trusts
 * the dev tenant's CA as GitHub's runners trust Entra's certificates.
 */
describe("the generated CI workflow, run as GitHub Actions runs it", () => {
  const tenant = useDevTenant();
  const repository = "contoso/weather-mcp";
  let installed: PackedInstall;
  let work: string;
  let project: string;
  let server: SpawnedServer;
  let serverUrl: string;
  const cli = (args: string[]) =>
    runCli(args, {
      home: dirname(tenant().dir),
      cwd: work,
      executable: installed.bin,
      env: { NO_COLOR: "1" },
      timeoutMs: 300_000,
    });
  const ciClientId = async () =>
    JSON.parse(await readFile(join(project, "mcp-entra.json"), "utf8")).apps.ci.appId as string;
  const setup = async (overrides: Partial<RunnerSetup> = {}): Promise<RunnerSetup> => ({
    source: project,
    repository,
    vars: { MCP_SERVER_URL: serverUrl, ENTRA_CI_CLIENT_ID: await ciClientId() },
    oidcToken: (claims) => tenant().githubActionsToken(claims),
    machineEnv: { NODE_EXTRA_CA_CERTS: tenant().caFile },
    scratch: join(work, "runner"),
    ...overrides,
  });
  const workflow = () => join(project, ".github", "workflows", "ci.yml");
  const log = (jobs: JobResult[]) =>
    jobs
      .flatMap((job) => [
        `job ${job.id}: ${job.outcome}${job.note ? ` (${job.note})` : ""}`,
        ...job.steps.map(
          (step) =>
            `  ${step.outcome} ${step.name}${step.note ? ` (${step.note})` : ""}${step.seconds === undefined ? "" : ` ${step.seconds} s`}\n${step.output}`,
        ),
      ])
      .join("\n");

  beforeAll(async () => {
    installed = await installPackedMcpEntra();
    work = await tempDir("mcp-entra-ci-");
    const port = await freePort();
    serverUrl = `http://localhost:${port}/mcp`;
    // What the user does: init (which registers and runs npm install), then the CI registration.
    const init = await cli(["init", "weather-mcp", "--template", "remote", "--yes", "--port", String(port)]);
    expect(init.code, init.stderr).toBe(0);
    project = join(work, "weather-mcp");
    const ci = await cli(["register", "--preset", "ci", "--github-repo", repository, "--dir", project]);
    expect(ci.code, ci.stderr).toBe(0);
    await run("npm", ["run", "build"], { cwd: project });
    // The "deployed" server trusts the dev tenant as a deployed one trusts Entra: through Node's CA store.
    server = await spawnServer(project, { NODE_EXTRA_CA_CERTS: tenant().caFile });
    const git = (...args: string[]) =>
      promisify(execFile)("git", ["-c", "user.name=CI", "-c", "user.email=ci@example.com", ...args], {
        cwd: project,
      });
    await git("init", "-q", "-b", "main");
    await git("add", "-A");
    await git("commit", "-q", "-m", "weather-mcp from mcp-entra init");
  }, 600_000);
  afterAll(async () => {
    await server?.stop("SIGKILL");
    for (const folder of [installed?.prefix, work])
      if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("commits a lock file that pins mcp-entra from the registry (npm ci needs it)", async () => {
    const lock = JSON.parse(await readFile(join(project, "package-lock.json"), "utf8"));
    expect(lock.packages[""].devDependencies["mcp-entra"]).toBe(`^${installed.version}`);
    expect(lock.packages["node_modules/mcp-entra"].version).toBe(installed.version);
    expect(JSON.stringify(lock)).not.toMatch(/"(file|link):/);
  });

  it("passes: build, type-check and test, then the smoke check signs in with the job's OIDC token and calls a tool", async () => {
    const jobs = await runWorkflow(workflow(), await setup());
    expect(
      jobs.map((job) => [job.id, job.outcome]),
      log(jobs),
    ).toEqual([
      ["build-and-test", "success"],
      ["smoke", "success"],
    ]);
    const smoke = jobs[1]!.steps;
    expect(smoke.map((step) => [step.name, step.outcome])).toEqual([
      ["Run actions/checkout@v4", "skipped"],
      ["Run actions/setup-node@v4", "skipped"],
      ["Run npm ci", "success"],
      ["Get a GitHub OIDC token for Entra", "success"],
      ["Smoke check the deployed server", "success"],
    ]);
    expect(smoke.at(-1)!.output).toMatch(/tools\/call.*server_time/);
    expect(jobs[0]!.steps.map((step) => step.name)).toEqual(
      expect.arrayContaining(["Run npm ci", "Run npm run typecheck", "Run npm run build", "Run npm test"]),
    );
  }, 900_000);

  it("skips the smoke check until the repository variable MCP_SERVER_URL is set", async () => {
    const [, smoke] = await runWorkflow(workflow(), await setup({ vars: {}, only: ["smoke"] }));
    expect(smoke).toMatchObject({
      id: "smoke",
      outcome: "skipped",
      note: expect.stringContaining("MCP_SERVER_URL"),
    });
  });

  it("fails the smoke check with Entra's explanation when the federated credential expects another audience", async () => {
    const wrong = await cli([
      "register",
      "--preset",
      "ci",
      "--github-repo",
      repository,
      "--federated-audience",
      "api://AzureADTokenExchange/elsewhere",
      "--dir",
      project,
    ]);
    expect(wrong.code, wrong.stderr).toBe(0);
    const [, smoke] = await runWorkflow(workflow(), await setup({ only: ["smoke"] }));
    const step = smoke!.steps.find((candidate) => candidate.outcome === "failure");
    expect(step?.name, log([smoke!])).toBe("Smoke check the deployed server");
    expect(step!.exitCode).toBe(1);
    // What the user reads in the job's log: the AADSTS code, what it means, and the fix.
    expect(step!.output).toContain("AADSTS700212");
    expect(step!.output).toMatch(/federated/i);
    expect(step!.output).toContain("mcp-entra register --preset ci");
  }, 600_000);
});
