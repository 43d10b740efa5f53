/**
 * The test-flow runner: the client side of the MCP authorization spec (2025-11-25), step by step,
 * each step timed and recorded with its evidence, then initialize, tools/list and tools/call.
 *
 * What comes from the MCP SDK and what is ours (checked against @modelcontextprotocol/sdk 1.32):
 * - SDK, used as is: the authorization URL with PKCE S256 (`startAuthorization`), the code exchange
 *   (`exchangeAuthorization`, which picks client_secret_basic / client_secret_post / none from the
 *   metadata and registration), refresh and client credentials through our provider's
 *   `prepareTokenRequest` (`fetchToken`; refresh carries `scope`, which Entra's v2 endpoint needs and
 *   `refreshAuthorization` cannot send), Dynamic Client Registration (`registerClient`),
 *   the metadata schemas, the AS discovery URL order (`buildDiscoveryUrls`, which is the spec's), and
 *   the MCP Client with its Streamable HTTP transport.
 * - Ours, because `auth()` does not fit a conformance test or gets it wrong for Entra: `auth()` runs
 *   discovery, registration, authorization and token as one call (no per-step evidence or timing);
 *   it falls back to the server's origin as authorization server when PRM is missing (the 2025-03-26
 *   behaviour; 2025-11-25 requires PRM); it accepts a PRM `resource` that is any path prefix of the
 *   server; it proceeds silently when code_challenge_methods_supported is absent (the spec says
 *   refuse; Entra omits it, so we note it and refuse only with --strict); it adds prompt=consent with
 *   offline_access (AADSTS90094 in locked-down Entra tenants); it retries hidden after invalid_client
 *   or invalid_grant; and the transport's own step-up has no attempt bound. So: WWW-Authenticate
 *   parsing (multiple challenges), PRM discovery with the header URL falling back to the well-knowns,
 *   the exact `resource` check, `state` generation and checking (loopback receiver), the bound of 3
 *   authorization attempts, the sign-in agents (browser, headless), msal-node for Entra's client
 *   credentials and device code, and storage — all behind our OAuthClientProvider (oauth-provider.ts).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../core/errors.js";
import { devTenantHome } from "../core/paths.js";
import type { FlowState, TestFlowDeps } from "./flow-state.js";
import { flowFetch, insecureUrlProblem } from "./http.js";
import { loadMcpClient } from "./mcp-client/mcp-session.js";
import type { TestFlowOptions } from "./options.js";
import { mcpSteps } from "./reauthorize.js";
import { ReportBuilder, type TestFlowReport } from "./report/report.js";
import { canonicalResourceUrl } from "./resource-url.js";
import { acquireToken } from "./sign-in/sign-in.js";
import { asStep, challengeStep, prmStep } from "./steps/challenge.js";

export type { TestFlowDeps } from "./flow-state.js";

export async function runTestFlow(options: TestFlowOptions, deps: TestFlowDeps): Promise<TestFlowReport> {
  const problem = insecureUrlProblem(options.serverUrl, "The server URL");
  if (problem) {
    throw new UsageError("INSECURE_SERVER_URL", `${problem}.`, {
      suggestion: "Use the server's https URL (plain http is for servers on this machine).",
    });
  }
  const resource = canonicalResourceUrl(options.serverUrl);
  // Start loading the MCP client now; discovery and sign-in wait on the network meanwhile.
  loadMcpClient().catch(() => undefined);
  const report = new ReportBuilder(
    {
      serverUrl: options.serverUrl,
      resource,
      options: {
        strict: options.strict,
        resourceParameter: options.resource,
        fresh: options.fresh,
        probe: options.probe,
      },
    },
    deps.progress,
  );
  const caPems = await extraCas(options.caFile, deps.home, report);
  report.secret(options.clientSecret);
  if (!options.resource) {
    report.note(
      "--no-resource: the resource parameter (RFC 8707) is not sent on authorization and token requests.",
    );
  }
  const signal = AbortSignal.timeout(options.timeout * 1000);
  const state: FlowState = {
    options,
    deps,
    report,
    fetch: flowFetch(caPems, signal, options.timeout),
    signal,
    resource,
    attempts: 0,
    hadStoredSession: false,
  };
  try {
    await challengeStep(state);
    if (state.unprotected) {
      for (const id of [
        "protected-resource-metadata",
        "authorization-server-metadata",
        "client-identity",
        "authorization",
        "token",
      ] as const) {
        report.skip(id, "Not needed: the server did not ask for a token.");
      }
    } else {
      await prmStep(state);
      await asStep(state);
      await acquireToken(state);
    }
    await mcpSteps(state);
  } catch (error) {
    report.stopped(error);
  } finally {
    await state.receiver?.close();
  }
  if (options.probe) {
    const { runProbes } = await import("./probes/run-probes.js");
    await runProbes(state);
  }
  return report.finish();
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
