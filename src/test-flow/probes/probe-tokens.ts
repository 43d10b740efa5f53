import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { JWTPayload } from "jose";
import { decodeJwt } from "jose/jwt/decode";
import { devTenantHome } from "../../core/paths.js";
import { GRAPH_DEFAULT_SCOPE } from "../../entra/tenant-target.js";
import { MICROSOFT_GRAPH_RESOURCE } from "../../entra/well-known.js";
import { TenantAdminClient } from "../../tenant/server/admin-client.js";
import { adminTokenFile, liveRuntime } from "../../tenant/server/runtime.js";
import { classifyAuthorizationServer, isEntraLike } from "../authorization-server-kind.js";
import type { FlowState } from "../flow-state.js";
import { msalClientCredentials } from "../sign-in/msal.js";

/** A token a probe presents, and how it was obtained (for the report). */
export interface ProbeToken {
  token: string;
  how: string;
}

/** A token, or why the probe cannot get one here (it is then skipped and says so). */
export type ProbeTokenResult = ProbeToken | { skip: string };

/** The shape of the flow's own token: the probe tokens differ from it in one respect each. */
interface TokenModel {
  clientId: string;
  /** The signed-in user's object id, for delegated tokens. */
  user?: string;
  /** The API's scope as the flow's token names it: `<aud>/<scope>` or `<aud>/.default`. */
  scope: string;
  issuer?: string;
}

/** An issuer that is not `iss`: the same with another tenant id when it has one, else another path. */
function otherIssuer(iss: string): string {
  const tenant = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
  return tenant.test(iss) ? iss.replace(tenant, randomUUID()) : `${iss.replace(/\/+$/, "")}/another-issuer`;
}

const PROBE_SCOPE = "mcp-entra.probe";

/**
 * Where the probes' tokens come from. The dev tenant mints them through its admin API when it runs from
 * this mcp-entra home (its admin token is there): expired, for another audience, without the tool's
 * scope. Without it, only the other-audience token can be had — a real Microsoft Graph token through
 * client credentials, on Entra too; the other probes are skipped with the reason.
 */
export class ProbeTokens {
  private constructor(
    private readonly state: FlowState,
    private readonly model: TokenModel | string,
    private readonly admin: TenantAdminClient | string,
  ) {}

  static async open(state: FlowState): Promise<ProbeTokens> {
    return new ProbeTokens(state, tokenModel(state), await devTenantAdmin(state));
  }

  async wrongAudience(): Promise<ProbeTokenResult> {
    if (typeof this.model === "string") return { skip: this.model };
    const delegated = this.model.user !== undefined;
    if (typeof this.admin !== "string") {
      const scope = delegated ? `${MICROSOFT_GRAPH_RESOURCE}/User.Read` : GRAPH_DEFAULT_SCOPE;
      return this.mint({ scope }, `minted by the dev tenant for Microsoft Graph (${scope})`);
    }
    const { options } = this.state;
    const { signIn, as } = this.state.auth;
    if (signIn?.method === "client-credentials" && as && isEntraLike(as.info.kind)) {
      const result = await msalClientCredentials(
        { authority: as.info.authority!, fetch: this.state.fetch, timeoutMs: options.timeout * 1000 },
        {
          clientId: options.clientId!,
          clientSecret: options.clientSecret,
          certificateFile: options.certificateFile,
          federatedTokenFile: options.federatedTokenFile,
        },
        [GRAPH_DEFAULT_SCOPE],
      ).catch((error: Error) => ({ skip: `No Microsoft Graph token for the client: ${error.message}` }));
      if ("skip" in result) return result;
      return this.secret({
        token: result.tokens.access_token,
        how: `client credentials for Microsoft Graph (${GRAPH_DEFAULT_SCOPE})`,
      });
    }
    return { skip: `${this.admin} (With --auth client-credentials, a Microsoft Graph token would do.)` };
  }

  expired(): Promise<ProbeTokenResult> {
    const now = Math.floor(Date.now() / 1000);
    return this.mint(
      { claims: { iat: now - 7200, nbf: now - 7200, exp: now - 3600 } },
      "minted by the dev tenant like the flow's token, expired an hour ago",
    );
  }

  /** Like the flow's token, but from another issuer (another tenant's, for an Entra-shaped issuer). */
  wrongIssuer(): Promise<ProbeTokenResult> {
    if (typeof this.model === "string") return Promise.resolve({ skip: this.model });
    const iss = this.model.issuer;
    if (!iss) return Promise.resolve({ skip: "The flow's token names no issuer (iss)." });
    const other = otherIssuer(iss);
    return this.mint(
      { claims: { iss: other } },
      `minted by the dev tenant like the flow's token, signed with its key, but with iss ${other}`,
    );
  }

  withoutScope(): Promise<ProbeTokenResult> {
    const delegated = typeof this.model !== "string" && this.model.user !== undefined;
    return delegated
      ? this.mint(
          { claims: { scp: PROBE_SCOPE, roles: null } },
          `minted by the dev tenant like the flow's token, with scp "${PROBE_SCOPE}" (a scope the server does not offer) and no roles`,
        )
      : this.mint(
          { claims: { roles: null } },
          "minted by the dev tenant like the flow's app-only token, without roles",
        );
  }

  private async mint(change: { scope?: string; claims?: JWTPayload }, how: string) {
    if (typeof this.model === "string") return { skip: this.model };
    if (typeof this.admin === "string") return { skip: this.admin };
    try {
      const minted = await this.admin.mintToken({
        clientId: this.model.clientId,
        scope: change.scope ?? this.model.scope,
        user: this.model.user,
        claims: change.claims,
      });
      return this.secret({ token: minted.access_token, how });
    } catch (error) {
      return { skip: `The dev tenant could not mint the probe token: ${(error as Error).message}` };
    }
  }

  private secret(token: ProbeToken): ProbeToken {
    this.state.report.secret(token.token);
    return token;
  }
}

function tokenModel(state: FlowState): TokenModel | string {
  if (!state.auth.tokens?.access_token) return "The flow got no token to model the probe tokens on.";
  let claims: JWTPayload;
  try {
    claims = decodeJwt(state.auth.tokens?.access_token);
  } catch {
    return "The flow's token is not a JWT, so no probe token can be modelled on it.";
  }
  const clientId = [claims.azp, claims.appid, claims.client_id, state.options.clientId].find(
    (v) => typeof v === "string",
  );
  const aud = typeof claims.aud === "string" ? claims.aud : undefined;
  if (!clientId || !aud) return "The flow's token names no client (azp/appid) or audience.";
  const scp = typeof claims.scp === "string" ? claims.scp.split(" ").filter(Boolean)[0] : undefined;
  const user = typeof claims.oid === "string" && scp ? claims.oid : undefined;
  const issuer = typeof claims.iss === "string" ? claims.iss : undefined;
  return { clientId, user, scope: `${aud}/${user ? scp : ".default"}`, issuer };
}

/**
 * The admin API of the dev tenant that issued the flow's token, when it runs from this home: the
 * authorization server itself, or — behind an OAuth proxy that hands out the tenant's tokens — the
 * token's issuer.
 */
async function devTenantAdmin(state: FlowState): Promise<TenantAdminClient | string> {
  const info = state.auth.as?.info;
  if (!info) return "The authorization server is not known (an earlier step failed).";
  const issuer = info.kind === "dev-tenant" ? info.issuer : await devTenantIssuerOfToken(state);
  if (!issuer) {
    return `Only the dev tenant can mint this token; ${info.issuer} is not one, nor did one issue the flow's token.`;
  }
  const dir = devTenantHome(state.deps.home);
  const runtime = await liveRuntime(dir);
  const origin = new URL(issuer).origin;
  const adminToken = await readFile(adminTokenFile(dir), "utf8").catch(() => "");
  if (!runtime?.url || new URL(runtime.url).origin !== origin || !adminToken.trim()) {
    return `The dev tenant at ${origin} does not run from ${dir}, so its admin token (needed to mint probe tokens) is not at hand.`;
  }
  return new TenantAdminClient(runtime.url, adminToken.trim(), state.fetch);
}

/** The `iss` of the flow's token when a dev tenant issued it (e.g. through an OAuth proxy). */
async function devTenantIssuerOfToken(state: FlowState): Promise<string | undefined> {
  if (!state.auth.tokens?.access_token) return undefined;
  let iss: unknown;
  try {
    iss = decodeJwt(state.auth.tokens?.access_token).iss;
  } catch {
    return undefined;
  }
  if (typeof iss !== "string" || !URL.canParse(iss)) return undefined;
  const kind = await classifyAuthorizationServer(iss, state.fetch).catch(() => undefined);
  return kind?.kind === "dev-tenant" ? iss : undefined;
}
