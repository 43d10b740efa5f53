import type { Response } from "express";
import type { TenantContext } from "../context.js";
import { type AadstsError, aadstsBody } from "../errors/protocol-error.js";
import { sendFormPostPage } from "../pages/form-post-page.js";
import type { AuthorizeTarget } from "./short-lived-records.js";

/** Sends /authorize's answer to the client's redirect URI in the requested response_mode. */
export function respondToClient(
  res: Response,
  target: AuthorizeTarget,
  params: Record<string, string | undefined>,
): void {
  const fields = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (target.responseMode === "form_post") {
    sendFormPostPage(res, target.redirectUri, fields);
    return;
  }
  let location: string;
  if (target.responseMode === "fragment") {
    location = `${target.redirectUri.split("#")[0]}#${new URLSearchParams(fields)}`;
  } else {
    const url = new URL(target.redirectUri);
    for (const [name, value] of fields) url.searchParams.append(name, value);
    location = url.toString();
  }
  res.status(302).set({ Location: location, "Cache-Control": "no-store" }).end();
}

/** An error after the redirect URI was validated goes back to the client, with `state`. */
export function redirectError(
  ctx: TenantContext,
  res: Response,
  target: AuthorizeTarget,
  error: AadstsError,
): void {
  const body = aadstsBody(error, ctx.origin);
  respondToClient(res, target, {
    error: body.error,
    error_description: body.error_description,
    error_uri: body.error_uri,
    state: target.state,
  });
}
