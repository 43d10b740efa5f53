import type { Caller } from "../auth/token-validator.js";
import type { Config } from "../config.js";
import { GRAPH_SCOPES, type OnBehalfOf } from "./on-behalf-of.js";

export interface GraphUser {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
  mail: string | null;
}

export class GraphError extends Error {
  override readonly name = "GraphError";
}

export interface GraphClient {
  /** GET /me as the calling user, with a token obtained on behalf of that user. */
  me(caller: Caller): Promise<GraphUser>;
}

export function createGraphClient(config: Config, onBehalfOf: OnBehalfOf): GraphClient {
  return {
    async me(caller) {
      const token = await onBehalfOf(caller.token, GRAPH_SCOPES);
      const response = await fetch(
        `${config.graphBaseUrl}/me?$select=id,displayName,userPrincipalName,mail`,
        {
          headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
          signal: AbortSignal.timeout(10_000),
        },
      );
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
        throw new GraphError(
          `Microsoft Graph answered ${response.status}${body.error?.code ? ` (${body.error.code})` : ""}`,
        );
      }
      const user = (await response.json()) as GraphUser;
      return {
        id: user.id,
        displayName: user.displayName ?? null,
        userPrincipalName: user.userPrincipalName ?? null,
        mail: user.mail ?? null,
      };
    },
  };
}
