import type { Response } from "express";
import { cspSource, html, sendPage } from "./html.js";

/** response_mode=form_post: a page whose form posts the response to the redirect URI by itself. */
export function sendFormPostPage(res: Response, redirectUri: string, fields: [string, string][]): void {
  const target = cspSource(redirectUri);
  sendPage(res, {
    title: "Working…",
    step: "form-post",
    formTargets: target ? [target] : [],
    body: html`<form method="post" action="${redirectUri}" data-form="response">
${fields.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<noscript><p>Script is disabled. Press Continue to return to the application.</p><button type="submit" class="primary">Continue</button></noscript>
</form>`,
    script: "document.forms[0].submit();",
  });
}
