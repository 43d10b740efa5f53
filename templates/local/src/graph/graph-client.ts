import type { Config } from "../config.js";

export interface GraphUser {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
  mail: string | null;
  jobTitle: string | null;
}

export interface GraphOrganization {
  id: string;
  displayName: string | null;
  /** The tenant's verified domain names, the default one first. */
  verifiedDomains: string[];
}

export class GraphError extends Error {
  override readonly name = "GraphError";
}

/** Microsoft Graph as the signed-in user (delegated permission User.Read only). */
export interface GraphClient {
  /** GET /me: the signed-in user's profile. */
  me(): Promise<GraphUser>;
  /** GET /organization: the tenant the user signed in to (User.Read is enough to read it). */
  organization(): Promise<GraphOrganization>;
}

/** `getToken` gives a Graph access token for the signed-in user (it may throw a sign-in error). */
export function createGraphClient(config: Config, getToken: () => Promise<string>): GraphClient {
  async function get<T>(path: string): Promise<T> {
    const token = await getToken();
    const response = await fetch(`${config.graphBaseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
      throw new GraphError(
        `Microsoft Graph answered ${response.status}${body.error?.code ? ` (${body.error.code})` : ""}`,
      );
    }
    return (await response.json()) as T;
  }

  return {
    async me() {
      const user = await get<Partial<GraphUser> & { id: string }>(
        "/me?$select=id,displayName,userPrincipalName,mail,jobTitle",
      );
      return {
        id: user.id,
        displayName: user.displayName ?? null,
        userPrincipalName: user.userPrincipalName ?? null,
        mail: user.mail ?? null,
        jobTitle: user.jobTitle ?? null,
      };
    },
    async organization() {
      const { value } = await get<{
        value: {
          id: string;
          displayName?: string;
          verifiedDomains?: { name: string; isDefault?: boolean }[];
        }[];
      }>("/organization?$select=id,displayName,verifiedDomains");
      const org = value[0];
      if (!org) throw new GraphError("Microsoft Graph returned no organization");
      const domains = [...(org.verifiedDomains ?? [])].sort(
        (a, b) => Number(b.isDefault) - Number(a.isDefault),
      );
      return {
        id: org.id,
        displayName: org.displayName ?? null,
        verifiedDomains: domains.map((domain) => domain.name),
      };
    },
  };
}
