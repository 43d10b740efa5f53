import { errorMessage, OperationError } from "../../core/errors.js";
import { aadstsCodesIn, lookupAadsts } from "../aadsts.js";

export type LoginClientKind = "first-party" | "bootstrap" | "own";

/** Where a person signs in through, and what to tell them when Entra says no. */
export interface LoginClient {
  kind: LoginClientKind;
  clientId: string;
  /** e.g. "Microsoft Graph Command Line Tools", "the bootstrap app abcd…" */
  label: string;
}

const CONSENT_CODES = new Set([65001, 90094, 90093, 65004]);
/** The client is blocked in the tenant: disabled (7000112), or assignment required and the user is not assigned (50105). */
const BLOCKED_CODES = new Set([7000112, 50105]);

/**
 * A failed user sign-in as one line that says what Entra answered and what to do: consent that only
 * an administrator can give, a client the organisation blocks, or the catalogue's fix for the code.
 */
export function signInFailure(error: unknown, client: LoginClient, tenant: string): OperationError {
  const text = errorMessage(error);
  const code = aadstsCodesIn(text)[0];
  const entry = code ? lookupAadsts(code) : undefined;
  // msal-node keeps only the `error` of a failed device code poll: access_denied is consent refused
  // (the sign-in page showed the AADSTS code, e.g. 90094 when only an administrator may consent).
  const denied = !code && /\baccess_denied\b/.test(text);
  const what = entry
    ? `AADSTS${entry.code} (${entry.message.replace(/'?\{\w+\}'?/g, "…")})`
    : denied
      ? "access_denied (consent to the Graph permissions register needs was refused, or only an administrator may give it; the sign-in page showed the AADSTS code)"
      : firstLine(text);
  const message = `Signing in to tenant ${tenant} through ${client.label} failed: ${what}`;
  let suggestion = entry?.fix ?? `see \`mcp-entra explain ${code ?? "<AADSTS code>"}\`.`;
  if (denied || (code && CONSENT_CODES.has(code))) {
    suggestion =
      client.kind === "first-party"
        ? `an administrator signs in once with \`mcp-entra login --tenant ${tenant}\` and consents on behalf of the organization, ` +
          `or runs \`mcp-entra login --tenant ${tenant} --create-app\` (a bootstrap app with admin consent); or use \`az login\` and --method azure-cli.`
        : `an administrator grants admin consent to the app (Entra admin center: App registrations → API permissions → Grant admin consent), or signs in once through it and consents on behalf of the organization.`;
  } else if (code && BLOCKED_CODES.has(code) && client.kind === "first-party") {
    suggestion = `your organisation blocks ${client.label}: an administrator runs \`mcp-entra login --tenant ${tenant} --create-app\`, or use \`az login\` and --method azure-cli.`;
  }
  return new OperationError("SIGN_IN_FAILED", message, { suggestion, cause: error });
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}
