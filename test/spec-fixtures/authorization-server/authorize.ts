import type { ServerResponse } from "node:http";
import { sendJson } from "../http-server.js";
import { issuerVariant } from "../issuer-variants.js";
import { isMetadataDocumentClientId, resolveMetadataDocument } from "./client-metadata-documents.js";
import { type RegisteredClient, redirectUriMatches, safeUrl } from "./clients.js";
import { type AsContext, splitScope } from "./context.js";
import type { AuthorizationRecord } from "./options.js";
import { opaqueSecret } from "./signer.js";

const CODE_LIFETIME_MS = 60_000;

/**
 * The authorization endpoint (RFC 6749 §4.1.1–4.1.2): no person is asked; a valid request is redirected
 * back at once with `code`, `state` and (per option) `iss` (RFC 9207 §2). Errors before the redirect URI
 * is trusted are answered here, never redirected (RFC 6749 §4.1.2.1); later ones are redirected with
 * `error`, `state` and `iss`.
 */
export async function authorize(context: AsContext, url: URL, res: ServerResponse): Promise<void> {
  const params = Object.fromEntries(url.searchParams);
  const record: AuthorizationRecord = { params, status: 0 };
  context.records.authorizations.push(record);
  const refuse = (error: string, description: string) => {
    record.status = 400;
    record.error = error;
    sendJson(res, 400, { error, error_description: description });
  };
  const repeated = [...new Set(url.searchParams.keys())].find(
    (name) => name !== "resource" && url.searchParams.getAll(name).length > 1,
  );
  if (repeated) return refuse("invalid_request", `${repeated} is repeated (RFC 6749 §3.1)`);
  const clientId = params.client_id ?? "";
  const client = await findClient(context, clientId);
  if (typeof client === "string") return refuse("invalid_client", client);
  const redirectUri =
    params.redirect_uri ?? (client.redirect_uris.length === 1 ? client.redirect_uris[0] : undefined);
  if (!redirectUri || !redirectUriMatches(redirectUri, client.redirect_uris)) {
    return refuse(
      "invalid_request",
      `redirect_uri ${redirectUri ?? "(none)"} is not registered for ${clientId}`,
    );
  }
  const redirect = (answer: Record<string, string>) => {
    const target = new URL(redirectUri);
    for (const [name, value] of Object.entries(answer)) target.searchParams.set(name, value);
    if (params.state !== undefined) target.searchParams.set("state", params.state);
    const iss = context.options.issParameter ?? "exact";
    if (iss !== "omit") target.searchParams.set("iss", issuerVariant(context.issuer, iss));
    record.status = 302;
    record.redirect = target.href;
    record.error = answer.error;
    res.writeHead(302, { location: target.href, "cache-control": "no-store" });
    res.end();
  };
  const fail = (error: string, description: string) => redirect({ error, error_description: description });
  if (params.response_type !== "code") return fail("unsupported_response_type", "only response_type=code");
  if (!client.grant_types.includes("authorization_code")) {
    return fail("unauthorized_client", "the client may not use the authorization_code grant");
  }
  if (!params.code_challenge)
    return fail("invalid_request", "code_challenge is required (PKCE, RFC 7636 §4.4.1)");
  if (params.code_challenge_method !== "S256") {
    return fail("invalid_request", "transform algorithm not supported: code_challenge_method must be S256");
  }
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(params.code_challenge)) {
    return fail("invalid_request", "code_challenge is malformed (RFC 7636 §4.2)");
  }
  const resources = url.searchParams.getAll("resource");
  const resourceProblem = checkResources(context, resources);
  if (resourceProblem) return fail("invalid_target", resourceProblem);
  const scope = splitScope(params.scope);
  const unknown = unknownScopes(context, scope);
  if (unknown.length > 0) return fail("invalid_scope", `unknown scope ${unknown.join(" ")}`);
  const code = opaqueSecret();
  context.codes.set(code, {
    client_id: clientId,
    redirect_uri: params.redirect_uri,
    code_challenge: params.code_challenge,
    scope: scope.filter((value) => context.scopesSupported.includes(value)),
    resources,
    expiresAt: context.now() + CODE_LIFETIME_MS,
    used: false,
  });
  redirect({ code });
}

async function findClient(context: AsContext, clientId: string): Promise<RegisteredClient | string> {
  if (clientId === "") return "client_id is missing";
  if (isMetadataDocumentClientId(context, clientId)) return resolveMetadataDocument(context, clientId);
  return context.clients.get(clientId) ?? `unknown client_id ${clientId}`;
}

/** RFC 8707 §2: absolute URIs without fragment; required here unless `requireResource: false`. */
export function checkResources(context: AsContext, resources: string[]): string | undefined {
  if (resources.length === 0 && (context.options.requireResource ?? true)) {
    return "resource is required (RFC 8707; MCP clients MUST send it)";
  }
  for (const resource of resources) {
    const url = safeUrl(resource);
    if (!url || resource.includes("#")) return `resource ${resource} is not an absolute URI without fragment`;
    if (context.options.resources && !context.options.resources.includes(resource)) {
      return `resource ${resource} is unknown to this authorization server`;
    }
  }
  return undefined;
}

export function unknownScopes(context: AsContext, scope: string[]): string[] {
  if ((context.options.unknownScopes ?? "reject") === "ignore") return [];
  return scope.filter((value) => !context.scopesSupported.includes(value));
}
