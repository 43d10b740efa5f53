/**
 * The test-flow pipeline against a server reached by URL, top to bottom: the first MCP request without
 * a token (challenge); when the server asks — then or on any later request — the protected resource
 * metadata, the authorization server metadata, the client identity, the authorization and the token;
 * then the session, tools/list and tools/call, each re-authorized when the server refuses it (401, or
 * 403 insufficient_scope: step-up with the scope union, at most 3 authorizations); then the probes.
 *
 * The MCP SDK v2 client does the protocol: the session (2026-07-28 first, the 2025-11-25 initialize
 * as fallback), the per-request `_meta` envelope, the Mcp-Method / Mcp-Name / Mcp-Param-* headers,
 * multi-round-trip retries, and the OAuth helpers each step calls (discovery, registration, PKCE,
 * token requests, the RFC 9207 `iss` check). Ours is the sequencing, so that every step is timed and
 * reported with its evidence, and what the SDK leaves to its host: parsing every challenge of a
 * WWW-Authenticate header, the bound on authorizations, `state`, the loopback receiver, the sign-in
 * agents, msal-node for Entra, and storage.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { OperationError, UsageError } from "../core/errors.js";
import { devTenantHome } from "../core/paths.js";
import type { FlowState, TestFlowDeps } from "./flow-state.js";
import { flowFetch, insecureUrlProblem } from "./http.js";
import { HttpMcpSession } from "./mcp-client/http-session.js";
import { InputAnswers } from "./mcp-client/input-answers.js";
import { loadSdk } from "./mcp-client/sdk.js";
import { SdkWarnings } from "./mcp-client/sdk-warnings.js";
import { WireLog } from "./mcp-client/wire-log.js";
import type { TestFlowOptions } from "./options.js";
import { authorize } from "./reauthorize.js";
import { ReportBuilder, type TestFlowReport } from "./report/report.js";
import { canonicalResourceUrl } from "./resource-url.js";
import { callStep } from "./steps/call.js";
import { challengeStep } from "./steps/challenge.js";
import { listStep } from "./steps/list.js";
import { sessionStep } from "./steps/session.js";

export type { TestFlowDeps } from "./flow-state.js";

export async function runTestFlow(options: TestFlowOptions, deps: TestFlowDeps): Promise<TestFlowReport> {
  const problem = insecureUrlProblem(options.serverUrl, "The server URL");
  if (problem) {
    throw new UsageError("INSECURE_SERVER_URL", `${problem}.`, {
      suggestion: "Use the server's https URL (plain http is for servers on this machine).",
    });
  }
  // The SDK loads while the CA files are read.
  const sdk = loadSdk();
  sdk.catch(() => undefined);
  const resource = canonicalResourceUrl(options.serverUrl);
  const report = new ReportBuilder(
    {
      serverUrl: options.serverUrl,
      resource,
      options: {
        strict: options.strict,
        resourceParameter: options.resource,
        fresh: options.fresh,
        probe: options.probe,
        requireAuth: options.requireAuth,
      },
    },
    deps.progress,
    options.protocol,
  );
  const caPems = await extraCas(options.caFile, deps.home, report);
  report.secret(options.clientSecret);
  if (!options.resource) {
    report.note(
      "--no-resource: the resource parameter (RFC 8707) is not sent on authorization and token requests.",
    );
  }
  const signal = AbortSignal.timeout(options.timeout * 1000);
  const fetch = flowFetch(caPems, signal, options.timeout);
  const wire = new WireLog(options.serverUrl);
  const warnings = new SdkWarnings().start();
  const state: FlowState = {
    options,
    deps,
    report,
    fetch,
    wire,
    signal,
    resource,
    session: new HttpMcpSession({
      serverUrl: options.serverUrl,
      fetch: wire.wrap(fetch),
      token: () => state.auth.tokens?.access_token,
      signal,
      timeoutMs: options.timeout * 1000,
      clientVersion: deps.clientVersion,
      protocol: options.protocol,
      answers: new InputAnswers(),
      warnings,
    }),
    auth: { attempts: 0, hadStoredSession: false },
  };
  try {
    try {
      await sdk;
      if (!(await challengeStep(state))) await authorize(state, { kind: "asked" });
      await sessionStep(state);
      await callStep(state, await listStep(state));
      if (options.requireAuth) await requireAuthStep(state);
    } catch (error) {
      report.stopped(error);
    } finally {
      await state.auth.receiver?.close();
      await state.session.close();
    }
    if (options.probe) {
      const { runProbes } = await import("./probes/run-probes.js");
      await runProbes(state);
    }
  } finally {
    for (const warning of warnings.take()) report.note(`The MCP SDK warned: ${warning}`);
    warnings.stop();
  }
  return report.finish();
}

/** --require-auth (and --strict): a server that never asked for a token fails the run. */
async function requireAuthStep(state: FlowState): Promise<void> {
  await state.report.run("authorization-required", async (step) => {
    const asked = state.auth.askedAt;
    if (!asked) {
      throw new OperationError(
        "NOT_PROTECTED",
        `${state.options.serverUrl} answered every request without a token (${state.options.strict ? "--strict" : "--require-auth"}).`,
        {
          suggestion:
            'Protect the MCP endpoint: answer 401 with WWW-Authenticate: Bearer resource_metadata="<PRM URL>" to requests without a valid token.',
        },
      );
    }
    step.evidence("first asked at", asked);
    step.summary(`the server asked for a token (${asked})`);
  });
}

/** --ca-file certificates, plus the local dev tenant's CA when there is one (noted in the report). */
async function extraCas(files: string[], home: string, report: ReportBuilder): Promise<string[]> {
  const pems: string[] = [];
  for (const file of files) {
    const pem = await readFile(file, "utf8").catch((error: Error) => {
      throw new UsageError("CA_FILE_UNREADABLE", `--ca-file: cannot read ${file} (${error.message}).`, {
        suggestion: "Pass a PEM file with the CA certificate(s) to trust.",
      });
    });
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
      throw new UsageError("CA_FILE_INVALID", `--ca-file: ${file} holds no PEM certificate.`, {
        suggestion: "Pass a PEM file with the CA certificate(s) to trust.",
      });
    }
    pems.push(pem);
  }
  const devCa = join(devTenantHome(home), "ca.pem");
  const local = await readFile(devCa, "utf8").catch(() => undefined);
  if (local && !pems.includes(local)) {
    pems.push(local);
    report.note(`Trusting the local dev tenant's CA (${devCa}) in addition to the system CAs.`);
  }
  return pems;
}
