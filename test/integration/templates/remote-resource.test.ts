import { type LookupAddress, lookup } from "node:dns";
import { readFile, rm, writeFile } from "node:fs/promises";
import type { LookupFunction } from "node:net";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { decodeJwt } from "jose";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FetchLike } from "../../../src/entra/trust.js";
import { VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import { TenantAdminClient } from "../../../src/tenant/index.js";
import { issueCertificate } from "../../../src/tenant/server/certificates.js";
import { BrowserOAuthClient } from "../../helpers/browser-oauth-client.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import {
  freePort,
  renderAndInstall,
  run,
  type SpawnedServer,
  spawnServer,
} from "../../helpers/generated-project.js";
import { CLIENTS, connectClient } from "../../helpers/mcp-clients.js";

/**
 * The `remote` server where MCP clients can keep sending `resource` (RFC 8707) to Entra: its
 * canonical URL is https on a verified domain of the tenant and is the API's Application ID URI, so
 * Entra accepts the `resource` the clients derive from the Protected Resource Metadata. The MCP
 * SDKs' own clients (their OAuth code and transports, unmodified) sign in as Visual Studio Code, a
 * pre-registered client, and call the tools on both revisions.
 */

interface Registration {
  env: Record<string, string>;
  appIdUri: string;
  scope: string;
  users: { admin: string; member: string };
}

/** A fetch that trusts `caPem` and finds `host` at 127.0.0.1 (no /etc/hosts entry needed). */
function fetchWithHost(host: string, caPem: string): FetchLike {
  const resolve: LookupFunction = (hostname, options, callback) => {
    if (hostname !== host) return lookup(hostname, options, callback);
    const address: LookupAddress = { address: "127.0.0.1", family: 4 };
    if (options.all) return (callback as (error: null, addresses: LookupAddress[]) => void)(null, [address]);
    callback(null, address.address, address.family);
  };
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, caPem], lookup: resolve } });
  return (input, init) =>
    undiciFetch(input, { ...(init as object), dispatcher } as Parameters<
      typeof undiciFetch
    >[1]) as unknown as Promise<Response>;
}

describe("the remote template on a verified domain, its URL the Application ID URI", () => {
  const tenant = useDevTenant();
  let project: string;
  let server: SpawnedServer;
  let registration: Registration;
  let url: string;
  let fetchAtHost: FetchLike;

  beforeAll(async () => {
    const t = tenant();
    project = join(await tempDir("mcp-entra-remote-resource-"), "resource-server");
    await renderAndInstall("remote", project, { projectName: "resource-server", port: "3000" });
    await run("npm", ["run", "build"], { cwd: project });
    // The tenant's domain is verified: a host under it may be an Application ID URI (as on Entra).
    const host = `mcp.${t.domain}`;
    url = `https://${host}:${await freePort()}/mcp`;
    const helper = (await import(join(project, "test/helpers/registration.ts"))) as {
      registerTestApps(tenant: unknown, options: { dir: string; serverUrl: string }): Promise<Registration>;
    };
    registration = await helper.registerTestApps(t, {
      dir: join(project, "..", "registration"),
      serverUrl: url,
    });
    // The server's certificate for its host, from the tenant's CA (which the server and this test trust).
    const caKeyPem = await readFile(join(t.dir, "ca-key.pem"), "utf8");
    const tls = await issueCertificate({ caPem: t.caPem, caKeyPem }, [host]);
    const [certFile, keyFile] = [join(project, "..", "tls-cert.pem"), join(project, "..", "tls-key.pem")];
    await writeFile(certFile, tls.certPem);
    await writeFile(keyFile, tls.keyPem, { mode: 0o600 });
    server = await spawnServer(project, {
      ...registration.env,
      MCP_SERVER_URL: url,
      PORT: new URL(url).port,
      HOST: "127.0.0.1",
      TLS_CERT_FILE: certFile,
      TLS_KEY_FILE: keyFile,
    });
    fetchAtHost = fetchWithHost(host, t.caPem);
    // Sign-ins complete without a page, as the admin user.
    await TenantAdminClient.for(t.url, t.adminToken, t.caPem).setAutoApprove(registration.users.admin);
  }, 300_000);
  afterAll(async () => {
    await server?.stop("SIGKILL");
    if (project) await rm(join(project, ".."), { recursive: true, force: true });
  });

  it("is registered with its URL as Application ID URI, and says so in its metadata", async () => {
    expect(registration.appIdUri).toBe(url);
    expect(registration.scope).toBe(`${url}/user_impersonation`);
    const metadata = await (
      await fetchAtHost(`${new URL(url).origin}/.well-known/oauth-protected-resource/mcp`)
    ).json();
    expect(metadata).toMatchObject({ resource: url, scopes_supported: [registration.scope] });
  });

  it.each(CLIENTS)("%s signs in as VS Code, sending resource, and calls the tools", async (kind) => {
    const provider = new BrowserOAuthClient(fetchAtHost, {
      clientId: VSCODE_CLIENT_ID,
      redirectUri: "http://127.0.0.1:33418/",
    });
    const client = await connectClient(kind, url, fetchAtHost, { provider });
    expect(client.revision).toBe(kind.startsWith("v2") ? "2026-07-28" : "2025-11-25");
    const atTenant = provider.visited[0]!;
    expect(`${atTenant.origin}${atTenant.pathname}`).toBe(tenant().urls.authorize);
    expect(Object.fromEntries(atTenant.searchParams)).toMatchObject({
      client_id: VSCODE_CLIENT_ID,
      resource: url,
      scope: expect.stringContaining(registration.scope),
      code_challenge_method: "S256",
    });
    expect(decodeJwt(provider.saved!.access_token)).toMatchObject({
      aud: registration.env.ENTRA_CLIENT_ID,
      azp: VSCODE_CLIENT_ID,
      scp: "user_impersonation",
    });
    expect(await client.listTools()).toEqual(["server_time", "whoami", "server_status"]);
    const me = await client.callTool("whoami");
    expect(me.isError, me.text).toBe(false);
    expect(JSON.parse(me.text)).toMatchObject({ userPrincipalName: registration.users.admin });
    await client.close();
  });
});
