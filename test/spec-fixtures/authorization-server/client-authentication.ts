import { timingSafeEqual } from "node:crypto";
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { isMetadataDocumentClientId, resolveMetadataDocument } from "./client-metadata-documents.js";
import type { RegisteredClient } from "./clients.js";
import { type AsContext, OAuthFailure } from "./context.js";
import type { TokenEndpointAuthMethod } from "./options.js";

export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export interface ClientAuthentication {
  method: TokenEndpointAuthMethod;
  /** The client, when the request named one. */
  client?: RegisteredClient;
}

/**
 * Client authentication at the token endpoint: HTTP Basic (RFC 6749 §2.3.1, form-urlencoded id and
 * secret), secret in the body (§2.3.1), a JWT signed with a registered key (private_key_jwt, RFC 7523
 * §2.2 and §3), or none for a public client (§2.1). One method per request (§2.3). The registered
 * `token_endpoint_auth_method` is the one the client must use.
 */
export async function authenticateClient(
  context: AsContext,
  params: Record<string, string>,
  authorization: string | undefined,
): Promise<ClientAuthentication> {
  const presented = presentedMethod(params, authorization);
  if (presented === "multiple") {
    throw new OAuthFailure("invalid_request", "more than one client authentication method (RFC 6749 §2.3)");
  }
  const basic = /^basic\s+(.+)$/i.exec(authorization ?? "")?.[1];
  if (basic !== undefined) {
    const decoded = Buffer.from(basic, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) throw invalidClient("malformed Basic credentials", true);
    const id = formDecode(decoded.slice(0, colon));
    if (params.client_id !== undefined && params.client_id !== id) {
      throw new OAuthFailure("invalid_request", "client_id in the body differs from the Basic credentials");
    }
    return {
      method: "client_secret_basic",
      client: await withSecret(context, id, formDecode(decoded.slice(colon + 1)), "client_secret_basic"),
    };
  }
  if (params.client_secret !== undefined) {
    const id = params.client_id ?? "";
    return {
      method: "client_secret_post",
      client: await withSecret(context, id, params.client_secret, "client_secret_post"),
    };
  }
  if (params.client_assertion !== undefined)
    return { method: "private_key_jwt", client: await withAssertion(context, params) };
  if (params.client_id === undefined) return { method: "none" };
  const client = await lookUp(context, params.client_id);
  if (client.token_endpoint_auth_method !== "none") {
    throw invalidClient(
      `client ${client.client_id} must authenticate with ${client.token_endpoint_auth_method}`,
      false,
    );
  }
  return { method: "none", client };
}

/** The client authentication method a token request uses, from what it carries. */
export function presentedMethod(params: Record<string, string>, authorization: string | undefined) {
  const methods: TokenEndpointAuthMethod[] = [];
  if (/^basic\s/i.test(authorization ?? "")) methods.push("client_secret_basic");
  if (params.client_secret !== undefined) methods.push("client_secret_post");
  if (params.client_assertion !== undefined) methods.push("private_key_jwt");
  return methods.length > 1 ? "multiple" : (methods[0] ?? "none");
}

async function withSecret(context: AsContext, id: string, secret: string, method: TokenEndpointAuthMethod) {
  const client = await lookUp(context, id, method === "client_secret_basic");
  if (client.token_endpoint_auth_method !== method) {
    throw invalidClient(
      `client ${id} is registered for ${client.token_endpoint_auth_method}, not ${method}`,
      method === "client_secret_basic",
    );
  }
  const expected = Buffer.from(client.client_secret ?? "");
  const given = Buffer.from(secret);
  if (expected.length === 0 || expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw invalidClient("wrong client secret", method === "client_secret_basic");
  }
  return client;
}

async function withAssertion(context: AsContext, params: Record<string, string>): Promise<RegisteredClient> {
  if (params.client_assertion_type !== CLIENT_ASSERTION_TYPE) {
    throw invalidClient(`client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`, false);
  }
  const assertion = params.client_assertion ?? "";
  let claimed: string | undefined;
  try {
    claimed = decodeJwt(assertion).sub;
  } catch {
    throw invalidClient("client_assertion is not a JWT", false);
  }
  const id = params.client_id ?? claimed ?? "";
  if (claimed !== id) throw invalidClient("the assertion's sub is not the client_id (RFC 7523 §3)", false);
  const client = await lookUp(context, id);
  if (client.token_endpoint_auth_method !== "private_key_jwt" || !client.jwks) {
    throw invalidClient(`client ${id} is not registered for private_key_jwt`, false);
  }
  try {
    const { payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks), {
      algorithms: ["RS256", "ES256"],
      issuer: id,
      subject: id,
      audience: [context.issuer, context.endpoints.token],
      requiredClaims: ["exp", "jti"],
      currentDate: new Date(context.now()),
    });
    if (context.seenAssertionIds.has(`${id} ${payload.jti}`))
      throw new Error("the assertion was already used (jti)");
    context.seenAssertionIds.add(`${id} ${payload.jti}`);
  } catch (error) {
    throw invalidClient(`client_assertion refused: ${(error as Error).message}`, false);
  }
  return client;
}

async function lookUp(context: AsContext, id: string, basic = false): Promise<RegisteredClient> {
  if (isMetadataDocumentClientId(context, id)) {
    const client = await resolveMetadataDocument(context, id);
    if (typeof client === "string") throw invalidClient(client, basic);
    return client;
  }
  const client = context.clients.get(id);
  if (!client) throw invalidClient(`unknown client ${id}`, basic);
  return client;
}

/** RFC 6749 §5.2: 401 with a WWW-Authenticate challenge when the client tried HTTP Basic. */
function invalidClient(description: string, basic: boolean): OAuthFailure {
  return new OAuthFailure(
    "invalid_client",
    description,
    401,
    basic ? { "www-authenticate": 'Basic realm="token"' } : {},
  );
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    throw invalidClient("Basic credentials are not form-urlencoded (RFC 6749 §2.3.1)", true);
  }
}
