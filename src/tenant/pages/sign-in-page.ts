import type { Response } from "express";
import type { AadstsError } from "../errors/protocol-error.js";
import { html, sendPage } from "./html.js";

export interface SignInPageInput {
  tx: string;
  appName: string;
  users: { id: string; userPrincipalName: string; displayName: string; admin: boolean }[];
  /** Pre-filled user name (login_hint, or what was typed before a failed attempt). */
  username?: string;
  error?: AadstsError;
  /** Device code flow: the user may cancel, which declines the device's request. */
  device: boolean;
  formTargets: string[];
}

/** Sign in: choose a test user with one click, or type a user name and password. */
export function sendSignInPage(res: Response, input: SignInPageInput): void {
  const hidden = html`<input type="hidden" name="tx" value="${input.tx}">`;
  sendPage(res, {
    title: "Sign in",
    step: "sign-in",
    formTargets: input.formTargets,
    body: html`<p>to continue to <strong data-app>${input.appName}</strong>${input.device ? " on your other device" : ""}</p>
${input.error ? html`<p class="error" role="alert" data-aadsts="${input.error.code}">${input.error.description}</p>` : ""}
<form method="post" action="/login" data-form="choose-user">
${hidden}
<p class="muted">Pick a test user:</p>
<ul class="users">
${input.users.map(
  (user) =>
    html`<li><button type="submit" name="user" value="${user.id}" data-upn="${user.userPrincipalName}">${user.displayName} <small>${user.userPrincipalName}${user.admin ? " · administrator" : ""}</small></button></li>`,
)}
</ul>
</form>
<form method="post" action="/login" data-form="credentials">
${hidden}
<p class="muted">or sign in with a user name and password:</p>
<label>User name <input type="text" name="username" autocomplete="username" value="${input.username ?? ""}"></label>
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>
${
  input.device
    ? html`<form method="post" action="/login" data-form="cancel">${hidden}<div class="actions"><button type="submit" name="action" value="cancel">Cancel</button></div></form>`
    : ""
}`,
  });
}
