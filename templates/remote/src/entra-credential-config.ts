import { z } from "zod";

/**
 * How the server proves its identity to Entra (on-behalf-of, and the proxy's sign-ins), read from
 * the environment. A managed identity, or else a certificate or secret (a certificate wins):
 * - ENTRA_MANAGED_IDENTITY_CLIENT_ID: on Azure (Container Apps, App Service), the client id of the
 *   user-assigned managed identity assigned to the app. Its token for api://AzureADTokenExchange,
 *   from the host's managed identity endpoint, is the client assertion: no secret anywhere. Azure's
 *   libraries read a managed identity's client id from AZURE_CLIENT_ID; this server does not, so an
 *   AZURE_CLIENT_ID in a developer's shell (often a service principal's, next to AZURE_CLIENT_SECRET)
 *   never turns a local secret setup into a managed identity one.
 * - ENTRA_CLIENT_CERTIFICATE_PATH: a PEM file with the certificate and its private key.
 * - ENTRA_CLIENT_SECRET: a client secret, for local development.
 */
export type EntraCredential =
  | { kind: "managed-identity"; clientId: string }
  | { kind: "certificate"; path: string }
  | { kind: "secret"; secret: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const optionalText = z.string().min(1).optional();

/** The credential's variables, for the configuration schema. */
export const entraCredentialVariables = {
  ENTRA_CLIENT_SECRET: optionalText,
  ENTRA_CLIENT_CERTIFICATE_PATH: optionalText,
  ENTRA_MANAGED_IDENTITY_CLIENT_ID: z
    .string()
    .regex(GUID, "must be a GUID (the client id of the user-assigned managed identity)")
    .optional(),
};

type CredentialVariables = {
  [Name in keyof typeof entraCredentialVariables]?: string;
};

/** The credential the variables name, or a problem per variable (the configuration reports them all). */
export function entraCredential(
  env: CredentialVariables,
  purpose: string,
): { credential?: EntraCredential; problems: string[] } {
  if (
    !env.ENTRA_MANAGED_IDENTITY_CLIENT_ID &&
    !env.ENTRA_CLIENT_CERTIFICATE_PATH &&
    !env.ENTRA_CLIENT_SECRET
  ) {
    return {
      problems: [
        `ENTRA_CLIENT_SECRET, ENTRA_CLIENT_CERTIFICATE_PATH or ENTRA_MANAGED_IDENTITY_CLIENT_ID is missing: the server needs one ${purpose}`,
      ],
    };
  }
  const alongside = env.ENTRA_CLIENT_SECRET ? "ENTRA_CLIENT_SECRET" : "ENTRA_CLIENT_CERTIFICATE_PATH";
  if (
    env.ENTRA_MANAGED_IDENTITY_CLIENT_ID &&
    (env.ENTRA_CLIENT_SECRET || env.ENTRA_CLIENT_CERTIFICATE_PATH)
  ) {
    return {
      problems: [
        `ENTRA_MANAGED_IDENTITY_CLIENT_ID and ${alongside} are both set: set one (the managed identity on Azure, a secret or certificate for local development)`,
      ],
    };
  }
  if (env.ENTRA_MANAGED_IDENTITY_CLIENT_ID) {
    return {
      credential: { kind: "managed-identity", clientId: env.ENTRA_MANAGED_IDENTITY_CLIENT_ID.toLowerCase() },
      problems: [],
    };
  }
  if (env.ENTRA_CLIENT_CERTIFICATE_PATH) {
    return { credential: { kind: "certificate", path: env.ENTRA_CLIENT_CERTIFICATE_PATH }, problems: [] };
  }
  return { credential: { kind: "secret", secret: env.ENTRA_CLIENT_SECRET ?? "" }, problems: [] };
}
