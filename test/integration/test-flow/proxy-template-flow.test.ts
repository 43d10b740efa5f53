import { rm } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { trustedFetch } from "../../../src/entra/trust.js";
import { TenantAdminClient } from "../../../src/tenant/index.js";
import type { TestFlowReport } from "../../../src/test-flow/report/report.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { fakeBrowser } from "../../helpers/fake-browser.js";
import { freePort } from "../../helpers/generated-project.js";
import { serveHttpsDocument } from "../../helpers/https-document.js";
import { expectValidReport } from "../../helpers/report-schema.js";
import { useTemplateProject } from "../../helpers/template-project.js";
import { runFlow, step } from "../../helpers/test-flow.js";

/**
 * test-flow against the scaffolded `proxy` server, registered with `register --preset proxy` in a dev
 * tenant (auto-approve on). test-flow is a spec client of the server's OAuth proxy — DCR or a Client ID
 * Metadata Document, PKCE, `resource` = the server URL (the proxy checks it and leaves it out towards
 * Entra, whose Application ID URI here is api://…) — and the proxy signs in at the dev tenant as the
 * API's app, with PKCE of its own. Each new client is allowed on the proxy's consent page, by the
 * headless agent as the user's agent or by the person at the stand-in browser. The MCP endpoint
 * validates the Entra tokens the proxy hands out.
 */
describe("test-flow against the proxy template on a dev tenant", () => {
  const tenant = useDevTenant();
  const project = useTemplateProject(tenant, {
    template: "proxy",
    // The test's Client ID Metadata Document is served from localhost.
    env: () => ({ PROXY_CIMD_ALLOW_PRIVATE_NETWORK: "true" }),
  });
  const admin = () => TenantAdminClient.for(tenant().url, tenant().adminToken, tenant().caPem);
  const adele = () => `adele@${tenant().domain}`;
  const flow = (options: Record<string, unknown>, deps = {}) =>
    runFlow({ serverUrl: project().url, home: project().home, fresh: true, ...options }, deps);
  const expectPassed = (report: TestFlowReport, output: string) => {
    expectValidReport(report);
    expect(report.exitCode, output).toBe(0);
    expect(report.steps.filter((s) => s.status !== "passed").map((s) => `${s.id}: ${s.summary}`)).toEqual([]);
    expect(output).not.toMatch(/eyJ[\w-]+\.eyJ|mcp-rt1\./);
  };
  /** What the proxy's sign-ins looked like at the dev tenant: its /authorize requests. */
  const proxyLog = () => project().server.logs.join("\n");

  beforeAll(() => admin().setAutoApprove("adele"));

  it("--auth headless with --probe: DCR at the proxy, PKCE at both hops, resource sent; whoami on behalf of the user", async () => {
    const { report, output } = await flow({ auth: "headless", tool: "whoami", probe: true });
    expectPassed(report, output);
    expect(report.authorizationServer).toEqual({ issuer: new URL(project().url).origin, kind: "oauth" });
    expect(step(report, "protected-resource-metadata").evidence.resource).toBe(project().url);
    expect(step(report, "client-identity").evidence).toMatchObject({
      method: "dynamic-registration",
      token_endpoint_auth_method: "none",
    });
    expect(step(report, "authorization").evidence).toMatchObject({
      resource: project().url,
      code_challenge_method: "S256",
    });
    // A new client: the proxy asked the user on its own page, and the headless agent answered it as the
    // user's agent — for its own client only — and says so.
    const clientId = String(step(report, "client-identity").evidence.client_id);
    expect(step(report, "authorization").notes).toContain(
      `The headless agent allowed client ${clientId} on the server's consent page as ${adele()}.`,
    );
    expect(output).toContain(`allowed client ${clientId} on the server's consent page as ${adele()}`);
    expect(step(report, "token").evidence).toMatchObject({
      resource: project().url,
      code_verifier: "sent (PKCE)",
    });
    // Entra's token for the API (azp: the API itself, the only client Entra knows), as the user.
    const { appId } = await project().app("proxy");
    expect(step(report, "token").evidence.token).toMatchObject({
      aud: appId,
      azp: appId,
      scp: ["user_impersonation"],
    });
    expect(step(report, "tools-call").evidence.text).toContain(adele());
    // The probes' odd tokens come from the dev tenant that issued the flow's token, behind the proxy.
    expect(report.steps.filter((s) => s.id.startsWith("probe-"))).toHaveLength(10);
    expect(step(report, "probe-expired-token").evidence.obtained).toContain("minted by the dev tenant");
    expect(step(report, "probe-insufficient-scope").summary).toContain(
      "403 insufficient_scope at tools/call",
    );
    expect(proxyLog()).toContain('"message":"sign-in started"');
  });

  it("server_time, the first tool without arguments, is called by default", async () => {
    const { report, output } = await flow({ auth: "headless" });
    expectPassed(report, output);
    expect(step(report, "tools-call").evidence.tool).toBe("server_time");
  });

  it("--auth browser: a stand-in browser follows proxy → dev tenant → proxy → its consent page → test-flow's loopback", async () => {
    const browser = fakeBrowser({ fetch: trustedFetch([tenant().caPem]) });
    const { report, output } = await flow(
      { auth: "browser", tool: "whoami" },
      { personPresent: true, openUrl: browser.openUrl },
    );
    expectPassed(report, output);
    const origin = new URL(project().url).origin;
    const hops = browser.visited.map((url) => new URL(url));
    // The person at the browser allows the new client on the proxy's consent page (a form POST).
    expect(hops.map((url) => `${url.origin}${url.pathname}`)).toEqual([
      `${origin}/authorize`,
      tenant().urls.authorize,
      `${origin}/oauth/callback`,
      `${origin}/oauth/consent`,
      `${origin}/oauth/consent`,
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/callback$/),
    ]);
    // Both hops use PKCE; `resource` (the server URL) reaches the proxy, which leaves it out at Entra
    // (the Application ID URI is api://…, which Entra would compare it with).
    const [toProxy, toEntra] = hops.map((url) => url.searchParams);
    expect(toProxy?.get("code_challenge_method")).toBe("S256");
    expect(toProxy?.get("resource")).toBe(project().url);
    expect(toEntra?.get("code_challenge_method")).toBe("S256");
    expect(toEntra?.get("code_challenge")).not.toBe(toProxy?.get("code_challenge"));
    expect(toEntra?.has("resource")).toBe(false);
    expect(step(report, "authorization").evidence["user agent"]).toBe("system browser");
    expect(step(report, "tools-call").evidence.text).toContain(adele());
  });

  it("a Client ID Metadata Document client (https, the dev tenant's CA) signs in through the proxy", async () => {
    const dir = await tempDir();
    // A fixed loopback redirect URI: the proxy compares redirect URIs exactly, port included.
    const redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
    const document = await serveHttpsDocument(
      dir,
      "/mcp-entra-test-flow.json",
      (url) => ({
        client_id: url,
        client_name: "mcp-entra test-flow (CIMD)",
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "none",
      }),
      { certificates: tenant().dir },
    );
    try {
      const { report, output } = await flow({
        auth: "headless",
        clientMetadataUrl: document.url,
        tool: "whoami",
      });
      expectPassed(report, output);
      expect(step(report, "client-identity").evidence).toMatchObject({
        method: "client-id-metadata-document",
        client_id: document.url,
        redirect_uri: redirectUri,
        "redirect_uri source": "the Client ID Metadata Document",
      });
      expect(step(report, "tools-call").evidence.text).toContain(adele());
    } finally {
      await document.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
