import type { Config } from "../config.js";
import type { ProxyClient } from "./clients.js";
import { escapeHtml } from "./html-page.js";
import type { ConsentRequest } from "./proxy-store.js";
import { isLoopbackRedirect } from "./redirect-uris.js";

/**
 * The consent page: who asks (the client's own name, which anyone can choose, and what actually
 * identifies it: a registration here or the host of its metadata document), where the answer goes
 * (the redirect URI's host, in full), as whom, and what for. The form carries the request's id and
 * a CSRF token; `data-*` attributes name the client and the user for agents acting for the user.
 */
export function consentPage(
  config: Pick<Config, "serverUrl" | "scope">,
  client: ProxyClient,
  request: ConsentRequest,
  form: { action: string; requestId: string; csrf: string },
) {
  const server = new URL(config.serverUrl).host;
  const redirect = new URL(request.redirectUri);
  const name = client.client_name ? escapeHtml(client.client_name) : "<em>(it gives no name)</em>";
  const identity =
    client.kind === "metadata-document"
      ? `its metadata document at <strong>${escapeHtml(new URL(client.client_id).host)}</strong> (<code>${escapeHtml(client.client_id)}</code>)`
      : "a registration with this server, which anyone can make under any name";
  const abilities = [`use this server's tools as you (<code>${escapeHtml(config.scope)}</code>)`];
  if (client.grant_types.includes("refresh_token")) abilities.push("stay signed in until you sign out");
  const rows: [string, string][] = [
    ["Application", name],
    ["Identified by", identity],
    [
      "Sends you back to",
      `<strong>${escapeHtml(redirect.host)}</strong> (<code>${escapeHtml(request.redirectUri)}</code>)`,
    ],
    ["Signed in as", escapeHtml(request.user.name)],
    ["It will", abilities.join(", and ")],
  ];
  const warning = isLoopbackRedirect(request.redirectUri)
    ? `<p class="warning">This application receives the sign-in on this computer (${escapeHtml(redirect.host)}). Any program running here could listen there: allow it only if you have just started the sign-in from an application on this computer.</p>`
    : "";
  return {
    title: `Allow this application to use ${server}?`,
    body: [
      `<p>An application asks to use <strong>${escapeHtml(server)}</strong> as you. Allow it only if you started this sign-in from it yourself, just now.</p>`,
      `<dl>${rows.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join("")}</dl>`,
      warning,
      `<form method="post" action="${escapeHtml(form.action)}" data-mcp-consent data-client-id="${escapeHtml(client.client_id)}" data-user="${escapeHtml(request.user.name)}">`,
      `<input type="hidden" name="request" value="${escapeHtml(form.requestId)}">`,
      `<input type="hidden" name="csrf" value="${escapeHtml(form.csrf)}">`,
      '<button type="submit" name="decision" value="deny">Deny</button>',
      '<button type="submit" name="decision" value="allow">Allow</button>',
      "</form>",
    ].join("\n"),
    formTargets: [redirect.origin],
  };
}
