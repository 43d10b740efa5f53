import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withSpecServers } from "../../helpers/spec-servers.js";
import { runFlow, step } from "../../helpers/test-flow.js";
import { createClientKey } from "../../spec-fixtures/client-keys.js";
import { createWorkloadIdentityIssuer } from "../../spec-fixtures/workload-identity.js";

const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/** App-only sign-in against any authorization server (the MCP client-credentials extension). */
describe("client credentials against a spec authorization server", () => {
  // Characters RFC 6749 §2.3.1 has the client form-urlencode in HTTP Basic.
  const secret = "s3cr:t+odd%chars/=";

  for (const method of ["client_secret_basic", "client_secret_post"] as const) {
    it(`${method}: the token request authenticates as registered`, async () => {
      const client = { client_id: "job:1", client_secret: secret, token_endpoint_auth_method: method };
      await withSpecServers({ clients: [client] }, {}, async ({ as, mcp, home }) => {
        const { report, output } = await runFlow({
          serverUrl: mcp.url,
          home,
          auth: "client-credentials",
          clientId: "job:1",
          clientSecret: secret,
          tokenEndpointAuthMethod: method,
        });
        expect(report.exitCode, output).toBe(0);
        expect(as.records.tokens[0]).toMatchObject({
          grant_type: "client_credentials",
          client_auth: method,
          status: 200,
        });
        expect(as.records.tokens[0]?.params.resource).toBe(mcp.resource);
        expect(step(report, "token").evidence.credential).toBe(`client secret (${method})`);
        expect(output).not.toContain(secret);
      });
    });
  }

  it("a wrong secret: invalid_client, reported at the token step", async () => {
    const client = {
      client_id: "job-2",
      client_secret: secret,
      token_endpoint_auth_method: "client_secret_basic" as const,
    };
    await withSpecServers({ clients: [client] }, {}, async ({ mcp, home }) => {
      const { report } = await runFlow({
        serverUrl: mcp.url,
        home,
        auth: "client-credentials",
        clientId: "job-2",
        clientSecret: "not-the-secret",
      });
      expect(report.exitCode).toBe(1);
      expect(step(report, "token").error?.message).toContain("invalid_client");
    });
  });

  for (const alg of ["ES256", "RS256"] as const) {
    it(`private_key_jwt with a bare ${alg} key (--private-key-file); a key the AS does not know is refused`, async () => {
      const key = await createClientKey(alg);
      const unknown = await createClientKey(alg);
      const client = {
        client_id: "signer",
        token_endpoint_auth_method: "private_key_jwt" as const,
        jwks: { keys: [key.publicJwk] },
      };
      await withSpecServers({ clients: [client] }, {}, async ({ as, mcp, home }) => {
        const file = join(home, "key.pem");
        await writeFile(file, key.privateKeyPem, { mode: 0o600 });
        const { report, output } = await runFlow({
          serverUrl: mcp.url,
          home,
          auth: "client-credentials",
          clientId: "signer",
          privateKeyFile: file,
        });
        expect(report.exitCode, output).toBe(0);
        expect(as.records.tokens[0]).toMatchObject({ client_auth: "private_key_jwt", status: 200 });
        expect(step(report, "token").evidence.credential).toBe(`private_key_jwt (${alg})`);
        await writeFile(file, unknown.privateKeyPem, { mode: 0o600 });
        const refused = await runFlow({
          serverUrl: mcp.url,
          home,
          auth: "client-credentials",
          clientId: "signer",
          privateKeyFile: file,
          fresh: true,
        });
        expect(refused.report.exitCode).toBe(1);
        expect(step(refused.report, "token").error?.message).toContain("invalid_client");
      });
    });
  }

  it("the jwt-bearer grant with a workload identity token (--federated-token-file); an untrusted issuer's is refused", async () => {
    const workload = await createWorkloadIdentityIssuer();
    const stranger = await createWorkloadIdentityIssuer("https://stranger.invalid");
    await withSpecServers({ trustedAssertionIssuers: [workload.trust()] }, {}, async ({ as, mcp, home }) => {
      const file = join(home, "oidc-token");
      await writeFile(file, await workload.mint({ sub: "repo:contoso/app", aud: as.issuer }), {
        mode: 0o600,
      });
      const { report, output } = await runFlow({
        serverUrl: mcp.url,
        home,
        auth: "client-credentials",
        federatedTokenFile: file,
      });
      expect(report.exitCode, output).toBe(0);
      expect(as.records.tokens[0]).toMatchObject({ grant_type: JWT_BEARER, status: 200 });
      expect(as.records.tokens[0]?.issued).toMatchObject({ sub: "repo:contoso/app", aud: mcp.resource });
      expect(step(report, "token").evidence.grant_type).toBe(JWT_BEARER);
      expect(as.records.tokens[0]?.params.client_id).toBeUndefined();
      await writeFile(file, await stranger.mint({ sub: "repo:contoso/app", aud: as.issuer }), {
        mode: 0o600,
      });
      const refused = await runFlow({
        serverUrl: mcp.url,
        home,
        auth: "client-credentials",
        federatedTokenFile: file,
        fresh: true,
      });
      expect(refused.report.exitCode).toBe(1);
      expect(step(refused.report, "token").error?.message).toContain("invalid_grant");
    });
  });
});
