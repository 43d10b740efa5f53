import { createHash, randomUUID, X509Certificate } from "node:crypto";
import express from "express";
import { createRemoteJWKSet, customFetch, jwtVerify } from "jose";
import { trustedFetch } from "../../src/entra/trust.js";
import {
  addPassword,
  newApplication,
  newServicePrincipal,
} from "../../src/tenant/directory/object-factories.js";
import type { Application } from "../../src/tenant/directory/tenant-state.js";
import type { DevTenant } from "../../src/tenant/index.js";
import { type Caller, close, listen, mcpHandler } from "./mcp-endpoint.js";

const TOOLS_READ = "7f1f0b4a-0000-4000-8000-0000000000a1";
const ACCESS_AS_USER = "7f1f0b4a-0000-4000-8000-0000000000b2";

export interface EntraMcpOptions {
  /** The API's Application ID URIs include the server URL (what Entra needs for `resource`). Default true. */
  serverUrlAsIdentifierUri?: boolean;
  /** Accept tokens from any issuer the JWKS signs for (a server that forgets the `iss` check). */
  skipIssuerCheck?: boolean;
}

export interface EntraMcpServer {
  url: string;
  apiAppId: string;
  clientAppId: string;
  clientSecret: string;
  /** The client's Graph object, to add certificate or federated credentials. */
  clientApplication: Application;
  stop(): Promise<void>;
}

/**
 * A small MCP server protected by the dev tenant, as a scaffolded one would be: PRM naming the
 * tenant's v2 issuer, tokens validated with jose against the tenant's JWKS (issuer, audience = the
 * API's client id), and either the app role Tools.Read or the delegated scope access_as_user.
 * Creates the API app and a confidential client (secret, role assigned) in the tenant.
 */
export async function startEntraMcpServer(
  tenant: DevTenant,
  options: EntraMcpOptions = {},
): Promise<EntraMcpServer> {
  const app = express();
  const { server, origin } = await listen(app);
  const url = `${origin}/mcp`;
  const now = new Date().toISOString();
  const { api, client, secret } = await tenant.store.commit((state) => {
    const api = newApplication(
      {
        displayName: "fixture mcp api",
        api: {
          requestedAccessTokenVersion: 2,
          oauth2PermissionScopes: [
            {
              id: ACCESS_AS_USER,
              value: "access_as_user",
              type: "User",
              isEnabled: true,
              adminConsentDisplayName: "Access",
              adminConsentDescription: "Access",
              userConsentDisplayName: "Access",
              userConsentDescription: "Access",
            },
          ],
        },
        appRoles: [
          {
            id: TOOLS_READ,
            value: "Tools.Read",
            displayName: "Read",
            description: "Read",
            allowedMemberTypes: ["Application"],
            isEnabled: true,
          },
        ],
      },
      now,
    );
    api.identifierUris = [`api://${api.appId}`, ...(options.serverUrlAsIdentifierUri === false ? [] : [url])];
    const client = newApplication({ displayName: "fixture mcp client" }, now);
    state.applications.push(api, client);
    const apiSp = newServicePrincipal(state, api, now);
    const clientSp = newServicePrincipal(state, client, now);
    state.servicePrincipals.push(apiSp, clientSp);
    state.appRoleAssignments.push({
      id: randomUUID(),
      appRoleId: TOOLS_READ,
      createdDateTime: now,
      principalDisplayName: client.displayName,
      principalId: clientSp.id,
      principalType: "ServicePrincipal",
      resourceDisplayName: api.displayName,
      resourceId: apiSp.id,
    });
    const { secretText } = addPassword(state, client, {}, Date.now());
    return { api, client, secret: secretText };
  });

  const jwks = createRemoteJWKSet(new URL(tenant.urls.jwks), {
    [customFetch]: (input, init) => trustedFetch([tenant.caPem])(input, init as RequestInit),
  });
  const prmUrl = `${origin}/.well-known/oauth-protected-resource/mcp`;
  const scope = `api://${api.appId}/access_as_user`;
  app.get("/.well-known/oauth-protected-resource/mcp", (_req, res) => {
    res.json({
      resource: url,
      authorization_servers: [tenant.urls.issuer],
      scopes_supported: [scope],
      bearer_methods_supported: ["header"],
    });
  });
  app.use("/mcp", express.json(), async (req, res, next) => {
    const challenge = `Bearer resource_metadata="${prmUrl}", scope="${scope}"`;
    const header = req.headers.authorization;
    if (!header?.startsWith("Bearer ")) {
      res.status(401).set("WWW-Authenticate", challenge).end();
      return;
    }
    try {
      const { payload } = await jwtVerify(header.slice(7), jwks, {
        issuer: options.skipIssuerCheck ? undefined : tenant.urls.issuer,
        audience: api.appId,
      });
      const roles = (payload.roles as string[] | undefined) ?? [];
      const scopes = String(payload.scp ?? "")
        .split(" ")
        .filter(Boolean);
      if (!roles.includes("Tools.Read") && !scopes.includes("access_as_user")) {
        res.status(403).set("WWW-Authenticate", `${challenge}, error="insufficient_scope"`).end();
        return;
      }
      res.locals.caller = {
        subject: String(payload.oid ?? payload.sub),
        scopes: [...roles, ...scopes],
      } satisfies Caller;
      next();
    } catch (error) {
      res
        .status(401)
        .set(
          "WWW-Authenticate",
          `${challenge}, error="invalid_token", error_description="${(error as Error).message.replace(/"/g, "'")}"`,
        )
        .end();
    }
  });
  app.all(
    "/mcp",
    mcpHandler((res) => res.locals.caller as Caller),
  );

  return {
    url,
    apiAppId: api.appId,
    clientAppId: client.appId,
    clientSecret: secret,
    clientApplication: client,
    stop: () => close(server),
  };
}

/** Adds a certificate credential (PEM) to an application, as Graph's addKey would. */
export async function addCertificateCredential(
  tenant: DevTenant,
  application: Application,
  certPem: string,
): Promise<void> {
  const certificate = new X509Certificate(certPem);
  await tenant.store.commit((state) => {
    const target = state.applications.find((candidate) => candidate.id === application.id)!;
    target.keyCredentials.push({
      keyId: randomUUID(),
      type: "AsymmetricX509Cert",
      usage: "Verify",
      displayName: "CN=test",
      customKeyIdentifier: createHash("sha1").update(certificate.raw).digest("base64"),
      startDateTime: new Date(certificate.validFrom).toISOString(),
      endDateTime: new Date(certificate.validTo).toISOString(),
      key: certificate.raw.toString("base64"),
    });
  });
}

/** Trusts `issuer`/`subject` tokens for api://AzureADTokenExchange as the application. */
export async function addFederatedCredential(
  tenant: DevTenant,
  application: Application,
  issuer: string,
  subject: string,
): Promise<void> {
  await tenant.store.commit((state) => {
    state.federatedIdentityCredentials[application.id] ??= [];
    state.federatedIdentityCredentials[application.id]!.push({
      id: randomUUID(),
      name: "ci",
      issuer,
      subject,
      audiences: ["api://AzureADTokenExchange"],
      description: null,
    });
  });
}
