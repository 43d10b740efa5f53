import { OperationError, UsageError } from "../../core/errors.js";
import { type FetchLike, trustedFetch } from "../../entra/trust.js";
import type { ManagedIdentitySummary } from "../directory/managed-identities.js";
import type { TestUserSummary } from "../directory/users.js";

export interface SigningKeySummary {
  kid: string;
  active: boolean;
  createdAt: string;
  publishedUntil: string | null;
}

export interface TenantAdminStatus {
  pid: number;
  tenantId: string;
  domain: string;
  autoApprove: string | null;
  users: number;
  applications: number;
  signingKeys: SigningKeySummary[];
}

/**
 * A client for a running dev tenant's admin API (/_admin), authenticated with its admin token and
 * trusting its CA. Refusals (4xx) become UsageErrors with the tenant's message, failures OperationErrors.
 */
export class TenantAdminClient {
  constructor(
    readonly url: string,
    private readonly adminToken: string,
    private readonly fetchImpl: FetchLike,
  ) {}

  static for(url: string, adminToken: string, caPem: string): TenantAdminClient {
    return new TenantAdminClient(url, adminToken, trustedFetch([caPem]));
  }

  status(): Promise<TenantAdminStatus> {
    return this.request("GET", "/status");
  }

  /** A user id, UPN or alias; true for the default user; null to switch auto-approve off. */
  async setAutoApprove(user: string | true | null): Promise<string | null> {
    const settings = await this.request<{ autoApprove: string | null }>("PATCH", "/settings", {
      autoApprove: user,
    });
    return settings.autoApprove;
  }

  async listUsers(): Promise<TestUserSummary[]> {
    return (await this.request<{ users: TestUserSummary[] }>("GET", "/users")).users;
  }

  async addUser(input: {
    alias: string;
    displayName?: string;
    password?: string;
    admin?: boolean;
  }): Promise<TestUserSummary> {
    return (await this.request<{ user: TestUserSummary }>("POST", "/users", input)).user;
  }

  async removeUser(idOrUpn: string): Promise<TestUserSummary> {
    const path = `/users/${encodeURIComponent(idOrUpn)}`;
    return (await this.request<{ removed: TestUserSummary }>("DELETE", path)).removed;
  }

  async listManagedIdentities(): Promise<ManagedIdentitySummary[]> {
    return (await this.request<{ identities: ManagedIdentitySummary[] }>("GET", "/managed-identities"))
      .identities;
  }

  async addManagedIdentity(name: string): Promise<ManagedIdentitySummary> {
    return (await this.request<{ identity: ManagedIdentitySummary }>("POST", "/managed-identities", { name }))
      .identity;
  }

  /** IDENTITY_ENDPOINT and IDENTITY_HEADER for a process that runs "on an Azure host" of this tenant. */
  managedIdentityHost(): Promise<{ IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string }> {
    return this.request("GET", "/managed-identity-host");
  }

  /** A one-time ticket that approves one device code flow as `user` (see sign-in-tickets.ts). */
  signInTicket(user: string): Promise<{ ticket: string; expiresIn: number }> {
    return this.request("POST", "/sign-in-tickets", { user });
  }

  /** A token minted without sign-in or consent (POST /_admin/tokens); `claims` replace, `null` removes. */
  mintToken(input: {
    clientId: string;
    scope: string;
    user?: string;
    claims?: Record<string, unknown>;
  }): Promise<{ access_token: string; expires_in: number; scope: string }> {
    return this.request("POST", "/tokens", input);
  }

  rotateKeys(graceHours?: number): Promise<{ active: string; keys: SigningKeySummary[] }> {
    return this.request("POST", "/keys/rotate", graceHours === undefined ? {} : { graceHours });
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.url}/_admin${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.adminToken}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new OperationError("TENANT_UNREACHABLE", `The dev tenant at ${this.url} does not answer.`, {
        suggestion: "Check it with `mcp-entra tenant status`.",
        cause: error,
      });
    }
    const payload = (await response.json().catch(() => ({}))) as {
      error?: string;
      message?: string;
      suggestion?: string;
    };
    if (response.ok) return payload as T;
    const code = (payload.error ?? `http_${response.status}`).toUpperCase();
    const message = payload.message ?? `The dev tenant's admin API answered ${response.status}.`;
    const ErrorType = response.status < 500 && response.status !== 401 ? UsageError : OperationError;
    throw new ErrorType(code, message, { suggestion: payload.suggestion });
  }
}
