import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/dev-tenant.js";
import { readReport, recordOutput } from "../helpers/output-ledger.js";
import { expectValidReport } from "../helpers/report-schema.js";
import { withSpecFixture } from "../helpers/spec-fixture.js";

const run = promisify(execFile);
const BIN = new URL("../../bin/mcp-entra.js", import.meta.url).pathname;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built binary (asynchronously: the fixture servers live in this process). */
async function cli(args: string[], home: string, env: Record<string, string> = {}): Promise<CliResult> {
  const options = {
    env: { PATH: process.env.PATH ?? "", HOME: home, MCP_ENTRA_HOME: home, FORCE_COLOR: "0", ...env },
    timeout: 60_000,
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], options);
    recordOutput(`mcp-entra ${args.join(" ")}`, `${stdout}\n${stderr}`);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    recordOutput(`mcp-entra ${args.join(" ")}`, `${failed.stdout ?? ""}\n${failed.stderr ?? ""}`);
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

describe("mcp-entra test-flow (built binary)", () => {
  beforeAll(() => {
    if (!existsSync(new URL("../../dist/cli/main.js", import.meta.url))) {
      throw new Error("Build first: npm run build (npm test does it).");
    }
  });

  it("exit 0: --json prints one schema-valid document, --junit writes parsable XML, no token or secret anywhere", async () => {
    const secret = "e2e-client-secret-value-42";
    await withSpecFixture(
      {
        clients: { "e2e-app": { method: "client_secret_basic", secret } },
        authMethods: ["client_secret_basic"],
      },
      { prm: "header", challengeScope: "mcp:tools" },
      async ({ as, mcp, home }) => {
        const junit = join(home, "report.xml");
        const result = await cli(
          [
            "--json",
            "test-flow",
            mcp.url,
            "--auth",
            "headless",
            "--junit",
            junit,
            "--tool",
            "add",
            "--args",
            '{"a":2,"b":3}',
          ],
          home,
          { MCP_CLIENT_ID: "e2e-app", MCP_CLIENT_SECRET: secret },
        );
        expect(result.code, result.stderr).toBe(0);
        const report = JSON.parse(result.stdout);
        expectValidReport(report);
        expect(report.outcome).toBe("passed");
        expect(report.steps.find((step: { id: string }) => step.id === "tools-call").evidence.text).toBe("5");
        const xml = await readReport(junit);
        expect(XMLValidator.validate(xml)).toBe(true);
        const suite = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml)
          .testsuites.testsuite;
        expect(suite.failures).toBe("0");
        expect(suite.testcase).toHaveLength(9);
        const everything = [result.stdout, result.stderr, xml].join("\n");
        expect(as.issued.length).toBeGreaterThan(2);
        for (const value of [secret, ...as.issued]) expect(everything).not.toContain(value);
        const sessions = join(home, "test-flow", "sessions");
        const [file] = await readdir(sessions);
        expect(await readFile(join(sessions, file!), "utf8")).toContain("refresh_token");
      },
    );
  });

  it("exit 0 in text mode, with colours off and progress on stderr only", async () => {
    await withSpecFixture({ dcr: true }, { prm: "path-aware" }, async ({ as, mcp, home }) => {
      const result = await cli(["test-flow", mcp.url, "--auth", "headless"], home);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("✔ Challenge");
      expect(result.stdout).toContain("Passed: 9 steps");
      expect(result.stdout).not.toContain("\u001b[");
      for (const value of as.issued) expect(result.stdout + result.stderr).not.toContain(value);
    });
  });

  it("exit 1 when a step fails (PRM resource mismatch), with the failure in the JUnit file", async () => {
    await withSpecFixture(
      { dcr: true },
      { prm: "path-aware", prmResource: "https://elsewhere.example/mcp" },
      async ({ mcp, home }) => {
        const junit = join(home, "report.xml");
        const result = await cli(["test-flow", mcp.url, "--auth", "headless", "--junit", junit], home);
        expect(result.code).toBe(1);
        expect(result.stdout).toContain("✖ Protected resource metadata");
        const suite = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
          await readReport(junit),
        ).testsuites.testsuite;
        expect(suite.failures).toBe("1");
        expect(suite.testcase[1].failure.type).toBe("PRM_RESOURCE_MISMATCH");
      },
    );
  });

  it("exit 2 for usage errors: bad flags before the flow, no client identity during it", async () => {
    const home = await tempDir();
    try {
      const flags = await cli(["test-flow", "http://127.0.0.1:9/mcp", "--args", "{}"], home);
      expect(flags.code).toBe(2);
      expect(flags.stderr.trim().split("\n")).toHaveLength(1);
      expect(flags.stderr).toContain("--args: needs --tool");
      const insecure = await cli(["test-flow", "http://mcp.example.com/mcp"], home);
      expect(insecure.code).toBe(2);
      expect(insecure.stderr).toContain("only on loopback");
    } finally {
      await rm(home, { recursive: true, force: true });
    }
    await withSpecFixture({}, { prm: "path-aware" }, async ({ mcp, home }) => {
      const result = await cli(["--json", "test-flow", mcp.url, "--auth", "headless"], home);
      expect(result.code).toBe(2);
      const report = JSON.parse(result.stdout);
      expectValidReport(report);
      expect(report.outcome).toBe("usage-error");
    });
  });

  it("exit 3 when sign-in needs a person and none is there", async () => {
    await withSpecFixture(
      { dcr: true, interactiveLogin: true },
      { prm: "path-aware" },
      async ({ mcp, home }) => {
        const result = await cli(["test-flow", mcp.url, "--auth", "headless"], home);
        expect(result.code).toBe(3);
        expect(result.stdout).toContain("Sign-in required");
      },
    );
  });
});

describe("mcp-entra test-flow --stdio (built binary)", () => {
  const FIXTURE = new URL("../fixtures/stdio-server.mjs", import.meta.url).pathname;

  it("starts the server, reports every step in --json and --junit; exit 1 when it never answers or exits at once", async () => {
    const home = await tempDir();
    try {
      const junit = join(home, "report.xml");
      const passed = await cli(
        [
          "--json",
          "test-flow",
          "--stdio",
          `node ${FIXTURE}`,
          "--junit",
          junit,
          "--tool",
          "echo",
          "--args",
          '{"text":"hi"}',
        ],
        home,
      );
      expect(passed.code, passed.stderr).toBe(0);
      const report = JSON.parse(passed.stdout);
      expectValidReport(report);
      expect(report).toMatchObject({ transport: "stdio", stdio: { command: ["node", FIXTURE] } });
      expect(report.steps.map((step: { id: string }) => step.id)).toEqual([
        "spawn",
        "session",
        "tools-list",
        "tools-call",
      ]);
      expect(report.steps[1].evidence.stderr).toEqual(["fixture: ready"]);
      expect(report.steps[3].evidence.text).toBe("hi");
      const suite = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
        await readReport(junit),
      ).testsuites.testsuite;
      expect(suite.testcase).toHaveLength(4);
      expect(suite.name).toBe(`mcp-entra test-flow --stdio node ${FIXTURE}`);

      // By default the first tool without required arguments: ping, not echo.
      const text = await cli(["test-flow", "--stdio", `node ${FIXTURE}`, "--cwd", home], home);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain("ping answered: pong");

      // A server that never answers: --timeout ends the run (and the server).
      const silent = await cli(
        ["test-flow", "--stdio", `node -e "setInterval(() => {}, 1000)"`, "--timeout", "2"],
        home,
      );
      expect(silent.code).toBe(1);
      expect(silent.stdout).toContain("The server did not answer connect within --timeout (2 s).");

      const exited = await cli(["test-flow", "--stdio", `node ${FIXTURE} exit`], home);
      expect(exited.code).toBe(1);
      expect(exited.stdout).toContain("✖ MCP session");
      expect(exited.stdout).toContain("fixture: cannot start (configuration missing)");
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it("exit 2, one line naming the flag: an authorization flag with --stdio, or neither URL nor --stdio", async () => {
    const home = await tempDir();
    try {
      const probe = await cli(["test-flow", "--stdio", `node ${FIXTURE}`, "--probe"], home);
      expect(probe.code).toBe(2);
      expect(probe.stderr.trim().split("\n")).toEqual([
        expect.stringContaining("--probe: does not apply to --stdio"),
      ]);
      const neither = await cli(["test-flow"], home);
      expect(neither.code).toBe(2);
      expect(neither.stderr).toContain("<server-url>: is missing");
      expect(neither.stdout).toBe("");
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe("mcp-entra explain (built binary)", () => {
  it("explains a known code, and refuses an unknown one with exit 2", async () => {
    const home = await tempDir();
    try {
      const known = await cli(["explain", "AADSTS9010010"], home);
      expect(known.code).toBe(0);
      expect(known.stdout).toContain("AADSTS9010010");
      expect(known.stdout).toContain("Field: identifierUris");
      expect(known.stdout).toContain("--no-resource");
      const json = await cli(["--json", "explain", "50011"], home);
      expect(JSON.parse(json.stdout)).toMatchObject({ code: "AADSTS50011" });
      const unknown = await cli(["explain", "AADSTS1"], home);
      expect(unknown.code).toBe(2);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
