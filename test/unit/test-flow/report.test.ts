import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { OperationError, UsageError } from "../../../src/core/errors.js";
import { explainAadsts, explanationsIn } from "../../../src/entra/explain.js";
import { ReportBuilder } from "../../../src/test-flow/report/report.js";
import { renderJunit } from "../../../src/test-flow/report/report-junit.js";
import { expectValidReport } from "../../helpers/report-schema.js";

function builder() {
  return new ReportBuilder({
    serverUrl: "https://mcp.example.com/mcp",
    resource: "https://mcp.example.com/mcp",
    options: { strict: false, resourceParameter: true, fresh: false, probe: false, requireAuth: false },
  });
}

describe("the report", () => {
  it("redacts every registered secret, everywhere, and marks unrun steps as skipped", async () => {
    const report = builder();
    report.secret("super-secret-token-value");
    await report.run("challenge", async (step) => {
      step.evidence("header", "Bearer super-secret-token-value");
      step.summary("saw super-secret-token-value");
    });
    await report
      .run("protected-resource-metadata", async () => {
        throw new OperationError("X", "failed with super-secret-token-value & <markup>");
      })
      .catch(() => undefined);
    const finished = report.finish();
    expectValidReport(finished);
    expect(JSON.stringify(finished)).not.toContain("super-secret-token-value");
    expect(finished.steps[0]?.evidence.header).toBe("Bearer [redacted]");
    expect(finished.exitCode).toBe(1);
    expect(finished.steps.filter((step) => step.status === "skipped")).toHaveLength(7);
  });

  it("takes the exit code of the first failure: usage 2, sign-in 3", async () => {
    const report = builder();
    await report
      .run("client-identity", async () => {
        throw new UsageError("NO_CLIENT_IDENTITY", "no client");
      })
      .catch(() => undefined);
    expect(report.finish()).toMatchObject({ exitCode: 2, outcome: "usage-error" });
  });

  it("renders JUnit XML that a parser reads: one testcase per step, failures and skips", async () => {
    const report = builder();
    await report.run("challenge", async (step) => step.evidence("status", 401));
    await report
      .run("protected-resource-metadata", async () => {
        throw new OperationError(
          "TOKEN_REQUEST_FAILED",
          'invalid_target: AADSTS9010010: The resource parameter <x> & "y"',
        );
      })
      .catch(() => undefined);
    const xml = renderJunit(report.finish());
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml);
    const suite = parsed.testsuites.testsuite;
    expect(suite.tests).toBe("9");
    expect(suite.properties.property).toEqual([
      { name: "mcp.protocol.requested", value: "auto" },
      { name: "mcp.protocol.version", value: "none" },
    ]);
    expect(suite.failures).toBe("1");
    expect(suite.skipped).toBe("7");
    const cases = suite.testcase as Array<Record<string, unknown>>;
    expect(cases.map((item) => item.name)).toEqual([
      "challenge",
      "protected-resource-metadata",
      "authorization-server-metadata",
      "client-identity",
      "authorization",
      "token",
      "session",
      "tools-list",
      "tools-call",
    ]);
    const failure = cases[1]?.failure as Record<string, string>;
    expect(failure.type).toBe("TOKEN_REQUEST_FAILED");
    expect(failure["#text"]).toContain("AADSTS9010010");
    expect(failure["#text"]).toContain("identifierUris");
    expect(cases[2]?.skipped).toBeDefined();
  });
});

describe("the report of a stdio server (--stdio)", () => {
  it("names the command and folder, has only the stdio steps, and is valid; HTTP fields are refused", async () => {
    const report = new ReportBuilder({ stdio: { command: ["node", "dist/my server.js"], cwd: "/work/app" } });
    await report.run("spawn", async (step) => step.evidence("pid", 42));
    await report
      .run("session", async () => {
        throw new OperationError("SERVER_EXITED", "The server exited during connect (its stdout closed).");
      })
      .catch(() => undefined);
    const finished = report.finish();
    expectValidReport(finished);
    expect(finished).toMatchObject({
      transport: "stdio",
      stdio: { command: ["node", "dist/my server.js"], cwd: "/work/app" },
      signIn: null,
      exitCode: 1,
    });
    expect(finished.protocol).toEqual({ requested: "auto", version: null, era: null });
    expect(finished).not.toHaveProperty("serverUrl");
    expect(finished).not.toHaveProperty("authorizationServer");
    expect(finished.steps.map((step) => `${step.id} ${step.status}`)).toEqual([
      "spawn passed",
      "session failed",
      "tools-list skipped",
      "tools-call skipped",
    ]);
    const suite = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
      renderJunit(finished),
    ).testsuites.testsuite;
    expect(suite.name).toBe("mcp-entra test-flow --stdio node 'dist/my server.js'");
    // The schema keeps the two kinds apart.
    expect(() => expectValidReport({ ...finished, serverUrl: "http://localhost:3000/mcp" })).toThrow();
    expect(() => expectValidReport({ ...builder().finish(), stdio: finished.stdio })).toThrow();
    expect(() => expectValidReport({ ...finished, transport: "streamable-http" })).toThrow();
  });
});

describe("AADSTS explanations", () => {
  it("explains a known code with cause, field and fix", () => {
    expect(explainAadsts("aadsts50011")).toMatchObject({
      code: "AADSTS50011",
      field: expect.stringContaining("redirectUris"),
    });
    expect(() => explainAadsts("AADSTS1")).toThrow(UsageError);
  });

  it("finds every known code in an error text once", () => {
    const found = explanationsIn("AADSTS7000215: bad. Trace AADSTS7000215 and AADSTS12345678");
    expect(found.map((item) => item.code)).toEqual(["AADSTS7000215"]);
  });
});
