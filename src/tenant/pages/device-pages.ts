import type { Response } from "express";
import { html, sendPage } from "./html.js";

/** /devicelogin: where a user types the code a device shows. */
export function sendDeviceCodePage(res: Response, problem?: { text: string; code?: number }): void {
  sendPage(res, {
    title: "Enter code",
    step: "device-code",
    body: html`<p>Enter the code displayed on your app or device.</p>
${problem ? html`<p class="error" role="alert" data-aadsts="${problem.code ?? ""}">${problem.text}</p>` : ""}
<form method="post" action="/devicelogin" data-form="device-code">
<label>Code <input type="text" name="otc" autocomplete="off" autocapitalize="characters" spellcheck="false"></label>
<div class="actions"><button type="submit" class="primary">Next</button></div>
</form>`,
  });
}

/** The end of a device sign-in in the browser: approved or declined. */
export function sendDeviceDonePage(res: Response, appName: string, approved: boolean): void {
  sendPage(res, {
    title: approved ? "You're signed in" : "Sign-in declined",
    step: approved ? "device-done" : "device-declined",
    body: approved
      ? html`<p>You have signed in to <strong data-app>${appName}</strong> on your device. You may now close this window.</p>`
      : html`<p>You declined to sign in to <strong data-app>${appName}</strong> on your device. You may now close this window.</p>`,
  });
}
