/**
 * What mcp-entra knows about Entra's AADSTS errors: the OAuth error and HTTP status Entra answers
 * with, the text of its description (`{name}` placeholders are filled in), and for people: the cause,
 * the part of the app registration involved, and the mcp-entra command that fixes it.
 * The dev tenant produces these errors from this table; `explain` and `test-flow` explain them.
 * Longer than our usual files on purpose: it is one table, and one entry per code is easiest to read
 * and to keep true when all entries stand together.
 */
export interface AadstsEntry {
  code: number;
  error: string;
  status: 400 | 401;
  message: string;
  cause?: string;
  field?: string;
  fix?: string;
}

const entries: AadstsEntry[] = [
  {
    code: 50011,
    error: "invalid_request",
    status: 400,
    message:
      "The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{appId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.",
    cause:
      "The client asked to be sent back to a redirect URI that the app registration does not list for its platform.",
    field: "web.redirectUris / spa.redirectUris / publicClient.redirectUris",
    fix: "mcp-entra register --redirect-uri <uri> (on the preset's platform: publicClient for local, where loopback ports are ignored; web for the others), or --public-redirect-uri / --web-redirect-uri <uri>; a rerun of mcp-entra register --preset local restores http://localhost",
  },
  {
    code: 700016,
    error: "unauthorized_client",
    status: 400,
    message:
      "Application with identifier '{appId}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
    cause: "The client id is not registered in this tenant (wrong tenant, deleted app, or a typo).",
    field: "appId",
    fix: "mcp-entra register (then use the appId it writes to mcp-entra.json), or pass --tenant for the right tenant",
  },
  {
    code: 7000215,
    error: "invalid_client",
    status: 401,
    message:
      "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{appId}'.",
    cause:
      "The client secret is wrong (often the secret's id was copied instead of its value), or it was added moments ago and Entra has not propagated it yet (seconds, rarely a minute).",
    field: "passwordCredentials",
    fix: "mcp-entra secret rotate, or mcp-entra register --new-secret (either writes a new secret's value — not its id — to .env)",
  },
  {
    code: 7000222,
    error: "invalid_client",
    status: 401,
    message:
      "The provided client secret keys for app '{appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.",
    cause: "The client secret has passed its endDateTime.",
    field: "passwordCredentials[].endDateTime",
    fix: "mcp-entra secret rotate, or mcp-entra register --new-secret (a new secret in .env, the expired one removed); restart the server so it reads .env again",
  },
  {
    code: 65001,
    error: "invalid_grant",
    status: 400,
    message:
      "The user or administrator has not consented to use the application with ID '{appId}' named '{appName}'. Send an interactive authorization request for this user and resource.",
    cause:
      "Nobody has consented to the permissions the client asks for, and the client is not pre-authorized.",
    field: "api.preAuthorizedApplications / oauth2PermissionGrants",
    fix: "mcp-entra register --pre-authorize <client-id> for a client of the API; for the server's own on-behalf-of calls, an administrator runs mcp-entra register --admin-consent (tenant-wide consent to its Graph permissions)",
  },
  {
    code: 65002,
    error: "invalid_client",
    status: 400,
    message:
      "Consent between first party application '{appId}' and first party resource '{resource}' must be configured via preauthorization - applications owned and operated by Microsoft must get approval from the API owner before requesting tokens for that API.",
    cause:
      "A Microsoft client (such as Visual Studio Code) asked for a scope of an API that has not pre-authorized it.",
    field: "api.preAuthorizedApplications",
    fix: "mcp-entra register --preset remote (pre-authorizes VS Code unless --no-pre-authorize-vscode); other Microsoft clients: --pre-authorize <client-id>",
  },
  {
    code: 65004,
    error: "access_denied",
    status: 400,
    message: "User declined to consent to access the app.",
    cause: "The user pressed Cancel on the consent page.",
  },
  {
    code: 90094,
    error: "invalid_grant",
    status: 400,
    message: "The grant requires admin permission.",
    cause: "The client asks for a permission only an administrator may consent to.",
    field: "requiredResourceAccess / oauth2PermissionScopes[].type",
    fix: "an administrator runs mcp-entra register --admin-consent (tenant-wide consent)",
  },
  {
    // https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/configure-admin-consent-workflow
    code: 90095,
    error: "access_denied",
    status: 400,
    message:
      "Admin consent is required for the permissions requested by this application. An admin consent request may be sent to the admin.",
    cause:
      "User consent is switched off in the tenant and the admin consent workflow is on: the user may only ask an administrator to approve the app.",
    field: "requiredResourceAccess / tenant consent settings",
    fix: "an administrator grants consent for the organization: mcp-entra register --admin-consent, or the /{tenant}/adminconsent URL",
  },
  {
    code: 9010010,
    error: "invalid_target",
    status: 400,
    message:
      "The resource parameter provided in the request doesn't match with the requested scopes. Resource: '{resource}'. Scopes resolve to: '{expected}'.",
    cause:
      "The client sent the RFC 8707 `resource` parameter (the MCP server URL), and Entra compares it with the Application ID URI of the requested scopes' API; they differ.",
    field: "identifierUris",
    fix: "make the Application ID URI the server URL: mcp-entra register --server-url <https url on a verified domain>; for a server on localhost (no verified domain), clients must drop resource (mcp-entra test-flow --no-resource)",
  },
  {
    code: 900144,
    error: "invalid_request",
    status: 400,
    message: "The request body must contain the following parameter: '{parameter}'.",
    cause: "A required protocol parameter is missing (most often `scope`).",
    fix: "ask for a fully qualified scope, e.g. api://<appId>/<scope>",
  },
  {
    code: 500011,
    error: "invalid_resource",
    status: 400,
    message:
      "The resource principal named {resource} was not found in the tenant named {tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.",
    cause:
      "The scope names an API that has no service principal in this tenant (or a bare scope was read as Microsoft Graph).",
    field: "identifierUris / service principal",
    fix: "mcp-entra register (creates the service principal) and request scopes fully qualified",
  },
  {
    code: 650053,
    error: "invalid_client",
    status: 400,
    message:
      "The application '{appName}' asked for scope '{scope}' that doesn't exist on the resource '{resource}'. Contact the app vendor.",
    cause:
      "The requested scope is not exposed by the API (or is disabled), or a bare scope was read as Microsoft Graph.",
    field: "api.oauth2PermissionScopes",
    fix: "mcp-entra register --scope <name>, and request it fully qualified (api://<appId>/<name>)",
  },
  {
    code: 70008,
    error: "invalid_grant",
    status: 400,
    message:
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
    cause: "The authorization code is older than 10 minutes.",
  },
  {
    code: 54005,
    error: "invalid_grant",
    status: 400,
    message:
      "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
    cause:
      "The same authorization code was sent twice; the tokens issued for it the first time were revoked.",
  },
  {
    code: 500112,
    error: "invalid_grant",
    status: 400,
    message:
      "The reply address '{redirectUri}' does not match the reply address '{expected}' provided when requesting Authorization code.",
    cause: "The token request's redirect_uri differs from the one the authorization code was issued for.",
    fix: "send the same redirect_uri to /authorize and to the token endpoint",
  },
  {
    code: 50148,
    error: "invalid_grant",
    status: 400,
    message:
      "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.",
    cause: "The PKCE verifier sent to the token endpoint does not hash to the challenge sent to /authorize.",
  },
  {
    code: 70043,
    error: "invalid_grant",
    status: 400,
    message:
      "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on {issuedAt} and the maximum allowed lifetime for this request is {maxAge}.",
    cause: "The refresh token is past its lifetime; the user must sign in again.",
  },
  {
    // https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens#token-lifetime
    code: 700082,
    error: "invalid_grant",
    status: 400,
    message:
      "The refresh token has expired due to inactivity. The token was issued on {issuedAt} and was inactive for {inactive}.",
    cause:
      "The refresh token was not used for its whole lifetime (90 days by default); the user must sign in again.",
    fix: "sign in again: the client starts an interactive sign-in (msal reports InteractionRequiredAuthError)",
  },
  {
    code: 70000,
    error: "invalid_grant",
    status: 400,
    message: "The provided value for the '{parameter}' is not valid.",
    cause:
      "The grant (code, refresh token or assertion) is unknown, already used, revoked, or for another client.",
  },
  {
    code: 90112,
    error: "invalid_request",
    status: 400,
    message: "Application identifier is expected to be a GUID.",
    cause:
      "Entra client ids are GUIDs; the client sent something else (for example a URL, as CIMD clients do).",
    field: "client_id",
    fix: "use a registered client id (mcp-entra register --preset local), or put an OAuth proxy in front of Entra (mcp-entra register --preset proxy)",
  },
  {
    code: 50126,
    error: "invalid_grant",
    status: 400,
    message: "Error validating credentials due to invalid username or password.",
    cause: "The user name or password is wrong.",
  },
  {
    code: 700024,
    error: "invalid_client",
    status: 400,
    message:
      "Client assertion is not within its valid time range. Current time: {now}, assertion valid from {notBefore}, expiry time of assertion {expiry}.",
    cause:
      "The client assertion (certificate or federated token) is expired or not valid yet; check the clock.",
  },
  {
    code: 70021,
    error: "invalid_request",
    status: 400,
    message:
      "No matching federated identity record found for presented assertion. Assertion Issuer: '{issuer}'. Assertion Subject: '{subject}'. Assertion Audience: '{audience}'.",
    cause: "No federated credential of the app matches the token's issuer, subject and audience.",
    field: "federatedIdentityCredentials",
    fix: "mcp-entra register --preset ci --github-repo <owner/name> with --github-ref or --github-environment matching the workflow; for a server on Azure, mcp-entra register --credential managed-identity --managed-identity <client id>",
  },
  {
    code: 700211,
    error: "invalid_client",
    status: 401,
    message:
      "No matching federated identity record found for presented assertion issuer '{issuer}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation",
    cause:
      "No federated credential of the app has the token's issuer. A managed identity's token comes from https://login.microsoftonline.com/<tenant id>/v2.0 (the tenant's own v2 issuer); a GitHub Actions token from https://token.actions.githubusercontent.com.",
    field: "federatedIdentityCredentials[].issuer",
    fix: "mcp-entra doctor names the credential; to rewrite it, for GitHub Actions: mcp-entra register --preset ci --github-repo <owner/name>; for a server on Azure: mcp-entra register --credential managed-identity --managed-identity <client id>",
  },
  {
    code: 700212,
    error: "invalid_client",
    status: 401,
    message:
      "No matching federated identity record found for presented assertion audience '{audience}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation",
    cause:
      "The federated credential that matches the token's issuer and subject lists another audience. Entra's exchange audience is api://AzureADTokenExchange (a managed identity's token carries its app id, fb60f99c-7a34-4190-8149-302f77469936).",
    field: "federatedIdentityCredentials[].audiences",
    fix: "set the credential's audience to api://AzureADTokenExchange; for GitHub Actions: mcp-entra register --preset ci --github-repo <owner/name>; for a server on Azure: mcp-entra register --credential managed-identity --managed-identity <client id>; mcp-entra doctor checks it",
  },
  {
    code: 700213,
    error: "invalid_client",
    status: 401,
    message:
      "No matching federated identity record found for presented assertion subject '{subject}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation",
    cause:
      "No federated credential of the token's issuer has its subject. For a managed identity the subject is its principal (object) id, not its client id; for GitHub Actions it names the repository and the branch, tag or environment, case-sensitively.",
    field: "federatedIdentityCredentials[].subject",
    fix: "mcp-entra doctor names the credential; mcp-entra register --credential managed-identity --managed-identity <client id> writes the principal id as the subject; for GitHub Actions, mcp-entra register --preset ci --github-repo <owner/name> with --github-ref or --github-environment matching the workflow",
  },
  {
    code: 700027,
    error: "invalid_client",
    status: 401,
    message: "Client assertion failed signature validation.",
    cause: "The client assertion is not signed by a certificate or issuer the app trusts.",
    field: "keyCredentials / federatedIdentityCredentials",
  },
  {
    code: 50027,
    error: "invalid_request",
    status: 400,
    message: "JWT token is invalid or malformed.",
    cause: "A client assertion or on-behalf-of assertion is not a well-formed JWT.",
  },
  {
    code: 7000218,
    error: "invalid_client",
    status: 401,
    message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    cause:
      "A confidential client sent no credential, or a public client flow is used by an app that does not allow it.",
    field: "isFallbackPublicClient / passwordCredentials",
    fix: "pass the client secret (MCP_CLIENT_SECRET), or mcp-entra register --preset local for a public client",
  },
  {
    code: 700025,
    error: "invalid_client",
    status: 401,
    message: "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
    cause: "A credential was sent for a public client.",
  },
  {
    code: 7000229,
    error: "invalid_client",
    status: 400,
    message: "The client application {appId} is missing service principal in the tenant {tenant}.",
    cause: "The app has no service principal in the tenant, so it cannot get app-only tokens.",
    fix: "mcp-entra register (creates the service principal)",
  },
  {
    code: 1002012,
    error: "invalid_scope",
    status: 400,
    message:
      "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
    cause: "App-only tokens are requested with `<resource>/.default`, not with individual scopes.",
    fix: "ask for api://<appId>/.default (mcp-entra test-flow does this with --auth client-credentials)",
  },
  {
    code: 28000,
    error: "invalid_scope",
    status: 400,
    message:
      "Provided value for the input parameter scope is not valid because it contains more than one resource.",
    cause: "One token is for one API: the scopes named more than one resource.",
  },
  {
    code: 50013,
    error: "invalid_grant",
    status: 400,
    message: "Assertion failed signature validation. [Reason - {reason}]",
    cause:
      "The on-behalf-of assertion was not issued by this tenant: its signature, signing key, issuer or tenant does not check out.",
  },
  {
    code: 500131,
    error: "invalid_grant",
    status: 400,
    message:
      "Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '{audience}' and the expected audience is '{expected}' or one of the Application Uris of this application with App ID '{appId}'({appName}). The downstream client must request a token for the expected audience (the application that made the OBO request) and this application should use that token as the assertion.",
    cause:
      "The on-behalf-of assertion is a token for another API: the client must send the middle tier a token whose audience is the middle tier itself.",
    field: "identifierUris / the scope the client requests",
    fix: "have the client request api://<middle-tier appId>/<scope> and pass that token to the middle tier",
  },
  {
    code: 500133,
    error: "invalid_grant",
    status: 400,
    message:
      "Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: {now}, expiry time of assertion {expiry}.",
    cause: "The on-behalf-of assertion (the user's access token) has expired.",
  },
  {
    code: 50034,
    error: "invalid_grant",
    status: 400,
    message: "The user account {identifier} does not exist in the {tenant} directory.",
    cause:
      "The user named in the request or in the assertion is not in this tenant (deleted, or another tenant).",
  },
  {
    code: 50057,
    error: "invalid_grant",
    status: 400,
    message: "The user account is disabled.",
    cause: "The user's account has been disabled (accountEnabled is false).",
  },
  {
    code: 7000114,
    error: "unauthorized_client",
    status: 400,
    message: "Application '{appId}'({appName}) is not allowed to make application on-behalf-of calls.",
    cause:
      "The on-behalf-of assertion is an app-only token: on-behalf-of needs a token that a user signed in for.",
    fix: "call the downstream API with client credentials instead, or have a user sign in to the client",
  },
  {
    code: 50058,
    error: "login_required",
    status: 400,
    message: "A silent sign-in request was sent but no user is signed in.",
    cause: "prompt=none was sent without a signed-in session.",
  },
  {
    code: 90002,
    error: "invalid_tenant",
    status: 400,
    message:
      "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.",
    cause: "The authority names a tenant that does not exist.",
    fix: "mcp-entra login --tenant <tenant id or domain>",
  },
  {
    code: 50059,
    error: "invalid_request",
    status: 400,
    message:
      "No tenant-identifying information found in either the request or implied by any provided credentials.",
    cause:
      "App-only and on-behalf-of requests need a tenant in the authority, not /common or /organizations.",
  },
  {
    code: 70016,
    error: "authorization_pending",
    status: 400,
    message: "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
  },
  {
    code: 70019,
    error: "expired_token",
    status: 400,
    message: "Verification code expired.",
  },
  {
    // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-device-code#expected-errors
    code: 70018,
    error: "bad_verification_code",
    status: 400,
    message:
      "Invalid verification code due to User typing in wrong user code for device code flow. Authorization is not approved.",
    cause:
      "The device_code sent to the token endpoint is not one the tenant issued to this client (mistyped, another client's, or already redeemed).",
    fix: "start a new device code flow and poll with the device_code it returns",
  },
  {
    code: 7000112,
    error: "unauthorized_client",
    status: 400,
    message: "Application '{appId}'({appName}) is disabled.",
    cause:
      "The tenant disabled the service principal of the client or of the API the token is for (Enterprise applications → Enabled for users to sign in: No).",
    field: "servicePrincipal.accountEnabled",
    fix: "an administrator enables it; for Microsoft Graph Command Line Tools, an administrator can run mcp-entra login --create-app instead",
  },
  {
    code: 50105,
    // At the token endpoint; /authorize sends the user back with access_denied.
    error: "invalid_grant",
    status: 400,
    message:
      "Your administrator has configured the application {appName} ('{appId}') to block users unless they are specifically granted ('assigned') access to the application.",
    cause:
      "The app's service principal (the client's, or the API's the token is for) requires assignment, and the user holds none of its app roles.",
    field: "servicePrincipal.appRoleAssignmentRequired / appRoleAssignedTo",
    fix: "an administrator assigns the user to the app; for Microsoft Graph Command Line Tools, an administrator can run mcp-entra login --create-app instead",
  },
  {
    code: 501051,
    error: "invalid_grant",
    status: 400,
    message:
      "Application '{appId}'({appName}) is not assigned to a role for the application '{resourceId}'({resourceName}).",
    cause:
      "The API's service principal requires assignment (appRoleAssignmentRequired), and the client app holds none of its app roles.",
    field: "servicePrincipal.appRoleAssignmentRequired / appRoleAssignments",
    fix: "mcp-entra register --preset ci (assigns the API's app role to the CI app), or an administrator grants the client one of the API's application permissions",
  },
  {
    code: 9002327,
    error: "invalid_request",
    status: 400,
    message:
      "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
    cause:
      "A code or refresh token issued to a spa redirect URI was redeemed without an Origin header (from a server, not the browser).",
    field: "spa.redirectUris",
    fix: "redeem it in the browser (MSAL.js); a server-side client registers its redirect URI as web instead: mcp-entra register --web-redirect-uri <uri>",
  },
  {
    code: 9002326,
    error: "invalid_request",
    status: 400,
    message:
      "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '{origin}'.",
    cause: "A browser redeemed a code or refresh token issued to a web or public client redirect URI.",
    field: "spa.redirectUris",
    fix: "register the browser app's redirect URI as spa: mcp-entra register --spa-redirect-uri <uri>",
  },
  {
    code: 9002325,
    error: "invalid_request",
    status: 400,
    message: "Proof Key for Code Exchange is required for cross-origin authorization code redemption.",
    cause: "A browser redeemed a code whose /authorize request carried no code_challenge.",
    fix: "send code_challenge (S256) to /authorize and code_verifier with the code (MSAL.js does both)",
  },
  {
    code: 700084,
    error: "invalid_grant",
    status: 400,
    message:
      "The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of {lifetime}, which can't be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page. The token was issued on {issuedAt}.",
    cause:
      "Refresh tokens issued to a spa redirect URI expire 24 hours after the sign-in, however often they are used.",
    field: "spa.redirectUris",
    fix: "sign the user in again (MSAL.js does it with a silent iframe or a redirect)",
  },
  {
    code: 9002313,
    error: "invalid_request",
    status: 400,
    message:
      "Invalid request. Request is malformed or invalid. - The request body or parameters are not well formed: {detail}",
  },
  {
    code: 70003,
    error: "unsupported_grant_type",
    status: 400,
    message: "The app requested an unsupported grant type '{grantType}'.",
  },
  {
    code: 700054,
    error: "unsupported_response_type",
    status: 400,
    message: "response_type '{responseType}' is not enabled for the application.",
  },
];

export const AADSTS = new Map(entries.map((entry) => [entry.code, entry]));

/** Accepts "50011", "AADSTS50011", "aadsts50011". */
export function lookupAadsts(code: string | number): AadstsEntry | undefined {
  const digits = String(code)
    .replace(/^aadsts/i, "")
    .trim();
  return /^\d+$/.test(digits) ? AADSTS.get(Number(digits)) : undefined;
}

export function fillMessage(entry: AadstsEntry, params: Record<string, string | number | undefined>): string {
  return entry.message.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ""));
}

/** The AADSTS codes found in an error text, in order. */
export function aadstsCodesIn(text: string): number[] {
  return [...text.matchAll(/AADSTS(\d{5,7})/g)].map((match) => Number(match[1]));
}
