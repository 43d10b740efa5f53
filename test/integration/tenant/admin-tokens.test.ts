import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { trustedFetch } from "../../../src/entra/trust.js";
import { VSCODE_CLIENT_ID } from "../../../src/entra/well-known.js";
import { TenantAdminClient } from "../../../src/tenant/server/admin-client.js";
import { useDevTenant } from "../../helpers/dev-tenant.js";
import { addApi } from "../../helpers/sign-in-fixtures.js";
import { verifyTenantToken } from "../../helpers/verify-token.js";

/** POST /_admin/tokens: tokens of an exact shape, minted by the running tenant for tests and probes. */
describe("the admin API: minting tokens", () => {
  const tenant = useDevTenant();
  const admin = () => TenantAdminClient.for(tenant().url, tenant().adminToken, tenant().caPem);

  it("mints a delegated token that verifies against the tenant's keys", async () => {
    const api = await addApi(tenant(), { preAuthorize: [VSCODE_CLIENT_ID] });
    const minted = await admin().mintToken({
      clientId: VSCODE_CLIENT_ID,
      scope: api.scope,
      user: `alex@${tenant().domain}`,
    });
    const { payload } = await verifyTenantToken(tenant(), minted.access_token, {
      issuer: tenant().urls.issuer,
      audience: api.app.appId,
    });
    expect(payload).toMatchObject({ scp: "access_as_user", azp: VSCODE_CLIENT_ID, ver: "2.0" });
    expect(minted.expires_in).toBeGreaterThan(0);
  });

  it("replaces claims, and removes those set to null (an expired token without roles)", async () => {
    const api = await addApi(tenant());
    const exp = Math.floor(Date.now() / 1000) - 3600;
    const minted = await admin().mintToken({
      clientId: VSCODE_CLIENT_ID,
      scope: api.scope,
      user: `adele@${tenant().domain}`,
      claims: { exp, scp: null },
    });
    const claims = decodeJwt(minted.access_token);
    expect(claims.exp).toBe(exp);
    expect(claims).not.toHaveProperty("scp");
    await expect(
      verifyTenantToken(tenant(), minted.access_token, { currentDate: new Date() }),
    ).rejects.toThrow(/exp/);
  });

  it("refuses unknown clients and scopes, and requests without the admin token", async () => {
    await expect(
      admin().mintToken({ clientId: "00000000-0000-0000-0000-000000000001", scope: "User.Read" }),
    ).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining("No client") });
    await expect(
      admin().mintToken({ clientId: VSCODE_CLIENT_ID, scope: "api://nothing-here/x", user: "adele" }),
    ).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining("AADSTS500011") });
    await expect(admin().mintToken({ clientId: "", scope: "" } as never)).rejects.toMatchObject({
      code: "INVALID_REQUEST",
    });
    const response = await trustedFetch([tenant().caPem])(`${tenant().url}/_admin/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ clientId: VSCODE_CLIENT_ID, scope: "User.Read" }),
    });
    expect(response.status).toBe(401);
  });
});
