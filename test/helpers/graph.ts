import { ConfidentialClientApplication } from "@azure/msal-node";
import type { Client, GraphError } from "@microsoft/microsoft-graph-client";
import { expect } from "vitest";
import { createGraphClient } from "../../src/entra/graph-client.js";
import { msalConfiguration } from "../../src/entra/msal-config.js";
import { AZURE_CLI_CLIENT_ID } from "../../src/entra/well-known.js";
import type { DevTenant } from "../../src/tenant/index.js";

/** A Graph SDK client for the dev tenant that gets app-only tokens from real msal-node. */
export function appOnlyGraphClient(
  tenant: DevTenant,
  credentials: { appId: string; secret: string },
): Client {
  const msal = new ConfidentialClientApplication(
    msalConfiguration(
      { authority: tenant.urls.authority, caPems: [tenant.caPem] },
      { clientId: credentials.appId, clientSecret: credentials.secret },
    ),
  );
  return createGraphClient({ baseUrl: tenant.url, caPems: [tenant.caPem] }, async () => {
    const result = await msal.acquireTokenByClientCredential({
      scopes: ["https://graph.microsoft.com/.default"],
    });
    if (!result?.accessToken) throw new Error("msal returned no token");
    return result.accessToken;
  });
}

/** A Graph SDK client with a delegated token for `user` (minted by the tenant, Azure CLI as the client). */
export function delegatedGraphClient(tenant: DevTenant, user: string, scopes: string[]): Client {
  return createGraphClient({ baseUrl: tenant.url, caPems: [tenant.caPem] }, async () => {
    const result = await tenant.issueToken({ clientId: AZURE_CLI_CLIENT_ID, scope: scopes.join(" "), user });
    return result.access_token;
  });
}

/** Runs a Graph call that must fail, and returns the SDK's GraphError. */
export async function graphFailure(call: Promise<unknown>): Promise<GraphError> {
  try {
    await call;
  } catch (error) {
    return error as GraphError;
  }
  expect.fail("the Graph call succeeded but should have failed");
}

/** The parsed `error` of a GraphError's body. */
export function errorBody(error: GraphError): {
  code: string;
  message: string;
  details?: unknown[];
  innerError?: Record<string, string>;
} {
  return JSON.parse(error.body as string);
}

/** Asserts a Graph call fails with this status and error code (and message, when given); returns the body. */
export async function expectGraphError(
  call: Promise<unknown>,
  status: number,
  code: string,
  message?: string | RegExp,
): Promise<ReturnType<typeof errorBody>> {
  const error = await graphFailure(call);
  const body = errorBody(error);
  expect({ status: error.statusCode, code: body.code }).toEqual({ status, code });
  if (typeof message === "string") expect(body.message).toBe(message);
  else if (message) expect(body.message).toMatch(message);
  return body;
}
