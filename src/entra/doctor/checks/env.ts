import { sameResource } from "../../../test-flow/resource-url.js";
import type { AppSnapshot, DoctorContext, Findings } from "../model.js";

interface Expectation {
  variable: string;
  /** What the registration says, for the report (never a secret). */
  expected: string;
  matches(value: string): boolean;
  /** Show the .env value (false for secrets: only their first characters). */
  secret?: boolean;
}

/**
 * `.env` against the registration: the values `register` wrote there must still be the tenant's —
 * ids, URIs, the scope, the server URL, and the secret (by its hint, Graph's first three characters).
 */
export function checkEnv(ctx: DoctorContext, snap: AppSnapshot, f: Findings): void {
  const app = snap.app!;
  const preset = snap.record.preset;
  const expectations: Expectation[] = [];
  const equal = (
    variable: string,
    expected: string | undefined,
    compare = (a: string, b: string) => a === b,
  ) => {
    if (expected) expectations.push({ variable, expected, matches: (value) => compare(value, expected) });
  };
  const hint = app.passwordCredentials.find((c) => c.keyId === snap.record.secret?.keyId)?.hint;
  const secretHint = (variable: string) => {
    if (hint) {
      expectations.push({ variable, expected: `${hint}…`, matches: (v) => v.startsWith(hint), secret: true });
    }
  };
  if (preset === "ci") {
    equal("MCP_CLIENT_ID", app.appId);
    secretHint("MCP_CLIENT_SECRET");
  } else {
    const lower = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    equal("ENTRA_TENANT_ID", ctx.target.tenantId, lower);
    equal("ENTRA_AUTHORITY_HOST", ctx.target.authorityHost, (a, b) => a.replace(/\/+$/, "") === b);
    equal("ENTRA_CLIENT_ID", app.appId, lower);
  }
  if (preset === "remote" || preset === "proxy") {
    const uris = app.identifierUris;
    expectations.push({
      variable: "ENTRA_APP_ID_URI",
      expected: uris.join(" or ") || "(none)",
      matches: (value) => uris.some((uri) => sameResource(uri, value)),
    });
    const scopes = app.api.oauth2PermissionScopes
      .filter((scope) => scope.isEnabled)
      .flatMap((scope) => uris.map((uri) => `${uri}/${scope.value}`));
    if (ctx.env.MCP_SCOPE) {
      expectations.push({
        variable: "MCP_SCOPE",
        expected: scopes.join(" or ") || "(no scope exposed)",
        matches: (value) => scopes.includes(value),
      });
    }
    equal("MCP_SERVER_URL", snap.record.serverUrl, sameResource);
    secretHint("ENTRA_CLIENT_SECRET");
    equal(
      "ENTRA_MANAGED_IDENTITY_CLIENT_ID",
      snap.record.managedIdentity?.clientId,
      (a, b) => a.toLowerCase() === b,
    );
  }
  let mismatches = 0;
  for (const expectation of expectations) {
    const value = ctx.env[expectation.variable];
    if (value !== undefined && value !== "" && expectation.matches(value)) continue;
    mismatches++;
    const shown = value ? (expectation.secret ? `${value.slice(0, 3)}…` : value) : "(missing)";
    f.add({
      id: `env-${expectation.variable}`,
      app: snap.key,
      status: "error",
      summary: `${expectation.variable} in .env is ${shown}, but the registration says ${expectation.expected}.`,
      evidence: { variable: expectation.variable, ".env": shown, registration: expectation.expected },
      fix: expectation.secret
        ? `mcp-entra register --preset ${preset} --new-secret (writes a new secret to .env)`
        : `mcp-entra register --preset ${preset} (rewrites .env), then restart the server`,
    });
  }
  if (mismatches === 0) {
    f.passed(
      "env",
      snap.key,
      `.env matches the registration (${expectations.map((e) => e.variable).join(", ")}).`,
    );
  }
}
