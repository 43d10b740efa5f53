import { readGraphPermissions } from "../graph-permissions.js";
import { applyRegistration } from "../registration/apply-registration.js";
import { desiredRegistration } from "../registration/desired.js";
import { registerOptionsSchema } from "../registration/options.js";
import { registrationGraph } from "../registration/registration-graph.js";
import {
  entraGraphBaseUrl,
  REGISTER_GRAPH_PERMISSIONS,
  reuseToken,
  type TenantTarget,
} from "../tenant-target.js";
import { azureCliGraphToken } from "./azure-cli.js";
import {
  bootstrapClient,
  claim,
  type EntraLoginContext,
  entraSessionBase,
  FIRST_PARTY_LOGIN_CLIENT,
  type LoginResult,
  personMethod,
  personToken,
  signedInAzureCli,
  signInPerson,
} from "./entra-login.js";
import { rememberBootstrapApp } from "./user-settings.js";
import type { UserSignInMethod } from "./user-sign-in.js";

/** The bootstrap app's uniqueName: one per tenant, found again (not duplicated) when run twice. */
export const BOOTSTRAP_UNIQUE_NAME = "mcp-entra-bootstrap";
export const BOOTSTRAP_DISPLAY_NAME = "mcp-entra (sign-in for register)";

/**
 * `mcp-entra login --tenant <t> --create-app`, for organisations that block Microsoft's first-party
 * clients for their users: an administrator, signed in once through the Azure CLI or Microsoft Graph
 * Command Line Tools, creates a single-tenant public client with exactly the delegated Graph
 * permissions `register` needs (`http://localhost` under mobile and desktop, public client flows on),
 * grants admin consent to it, remembers it for the tenant, and signs in through it. Later sign-ins
 * to the tenant (`login --tenant <t>`) go through it; other people pass its client id.
 */
export async function createBootstrapApp(
  tenant: string,
  method: UserSignInMethod | "azure-cli" | undefined,
  ctx: EntraLoginContext,
): Promise<LoginResult & { created: boolean; consentUrl?: string }> {
  const { ui } = ctx;
  const creator = await creatorToken(tenant, method, ctx);
  const base = entraSessionBase(tenant, ctx.env);
  const target: TenantTarget = {
    kind: "entra",
    tenantId: creator.tenantId,
    domain: base.domain,
    authorityHost: new URL(base.authority).origin,
    authority: base.authority,
    graphBaseUrl: entraGraphBaseUrl(ctx.env),
    caPems: [],
    label: `tenant ${tenant}`,
    graphToken: reuseToken(async () => creator),
  };
  const graph = registrationGraph(target, { ui, dryRun: false });
  const options = registerOptionsSchema.parse({
    preset: "local",
    name: BOOTSTRAP_DISPLAY_NAME,
    graphPermission: REGISTER_GRAPH_PERMISSIONS,
  });
  const permissions = await readGraphPermissions(graph);
  const desired = desiredRegistration(options, {
    projectName: "mcp-entra",
    uniqueName: BOOTSTRAP_UNIQUE_NAME,
    graph: permissions,
  });
  const spinner = await ui.spinner(`Creating the bootstrap app in tenant ${tenant}`);
  const outcome = await applyRegistration(graph, {
    desired,
    callerObjectId: claim(creator.accessToken, "oid"),
    secretInEnv: false,
    persistSecret: async () => {},
    checkpoint: async () => {},
    progress: (step) => spinner.update(`${step} — bootstrap app in tenant ${tenant}`),
    resources: [permissions.servicePrincipal],
  }).finally(() => spinner.stop());
  const clientId = outcome.app.appId;
  await rememberBootstrapApp(ctx.home, {
    tenantId: creator.tenantId,
    domain: base.domain,
    clientId,
    createdDateTime: outcome.app.createdDateTime,
  });
  ui.note(
    `${outcome.createdApp ? "Created" : "Found"} the bootstrap app ${BOOTSTRAP_DISPLAY_NAME} (${clientId}); ` +
      `others sign in through it with \`mcp-entra login --tenant ${tenant} --client-id ${clientId}\`.`,
  );
  let consentUrl: string | undefined;
  if (!outcome.consent || outcome.consent.warnings.length > 0) {
    // Entra's admin-consent endpoint: an administrator who may consent for the tenant opens it.
    consentUrl = `${target.authorityHost}/${creator.tenantId}/adminconsent?client_id=${clientId}`;
    ui.warn(
      `admin consent to the bootstrap app was not granted with this account: an administrator opens ${consentUrl}, or consents on the page the next sign-in shows.`,
    );
  }
  const signedIn = await signInPerson(tenant, bootstrapClient(clientId), personMethod(method, ui), ctx);
  return { ...signedIn, created: outcome.createdApp, consentUrl };
}

/**
 * A Graph token of someone allowed to create apps and consent: the Azure CLI's when it is signed in
 * (or --method azure-cli), else a sign-in through Microsoft Graph Command Line Tools.
 */
async function creatorToken(
  tenant: string,
  method: UserSignInMethod | "azure-cli" | undefined,
  ctx: EntraLoginContext,
): Promise<{ accessToken: string; expiresOn: Date | null; tenantId: string }> {
  if (method === "azure-cli") return azureCliGraphToken(tenant);
  const az = method ? undefined : await signedInAzureCli(tenant, ctx.ui);
  if (az) return az;
  const result = await personToken(tenant, FIRST_PARTY_LOGIN_CLIENT, personMethod(method, ctx.ui), ctx);
  return {
    accessToken: result.accessToken,
    expiresOn: result.expiresOn,
    tenantId: result.tenantId || claim(result.accessToken, "tid") || tenant,
  };
}
