import type { Response } from "express";
import { html, sendPage } from "./html.js";

export interface PermissionLine {
  value: string;
  displayName: string;
  description: string;
  adminOnly: boolean;
}

export interface ConsentPageInput {
  tx: string;
  appName: string;
  /** The registered app's publisher domain is not verified in a dev tenant. */
  firstParty: boolean;
  userName: string;
  permissions: PermissionLine[];
  /** Administrators may consent for every user of the tenant (an AllPrincipals grant). */
  canConsentForOrganization: boolean;
  formTargets: string[];
}

function permissionList(permissions: PermissionLine[]) {
  return html`<ul class="permissions">
${permissions.map(
  (permission) =>
    html`<li data-scope="${permission.value}"><strong>${permission.displayName}</strong>${permission.adminOnly ? html` <small class="muted">(admin consent required)</small>` : ""}<br><span class="muted">${permission.description}</span></li>`,
)}
</ul>`;
}

/** Permissions requested: what the app asks for, with Accept and Cancel. */
export function sendConsentPage(res: Response, input: ConsentPageInput): void {
  sendPage(res, {
    title: "Permissions requested",
    step: "consent",
    formTargets: input.formTargets,
    body: html`<p><strong data-app>${input.appName}</strong>${input.firstParty ? "" : html` <small class="muted">unverified</small>`}</p>
<p class="muted">Signed in as ${input.userName}</p>
<p>This app would like to:</p>
${permissionList(input.permissions)}
<form method="post" action="/consent" data-form="consent">
<input type="hidden" name="tx" value="${input.tx}">
${
  input.canConsentForOrganization
    ? html`<label><input type="checkbox" name="organization" value="yes"> Consent on behalf of your organization</label>`
    : ""
}
<p class="muted">Accepting these permissions means that you allow this app to use your data as specified. You can change these permissions later.</p>
<div class="actions"><button type="submit" name="action" value="cancel">Cancel</button><button type="submit" name="action" value="accept" class="primary">Accept</button></div>
</form>`,
  });
}

/** Need admin approval: a user who is not an administrator met permissions only an admin can grant. */
export function sendAdminApprovalPage(
  res: Response,
  input: Omit<ConsentPageInput, "canConsentForOrganization" | "firstParty" | "userName"> & {
    description: string;
    code: number;
  },
): void {
  // 90095: the tenant's admin consent workflow is on, so Entra invites the user to request approval.
  const workflow = input.code === 90095;
  sendPage(res, {
    title: workflow ? "Approval required" : "Need admin approval",
    step: "admin-approval",
    formTargets: input.formTargets,
    body: html`<p><strong data-app>${input.appName}</strong> ${workflow ? "needs permission to access resources in your organization that only an admin can grant. An admin consent request may be sent to your admin (the dev tenant does not keep requests)." : "needs permission to access resources in your organization that only an admin can grant. Ask an admin to grant permission to this app before you can use it."}</p>
<p class="error" role="alert" data-aadsts="${input.code}">${input.description}</p>
${permissionList(input.permissions)}
<form method="post" action="/consent" data-form="return">
<input type="hidden" name="tx" value="${input.tx}">
<div class="actions"><button type="submit" name="action" value="return">Return to the application without consenting</button></div>
</form>`,
  });
}
