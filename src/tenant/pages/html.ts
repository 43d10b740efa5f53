import { randomBytes } from "node:crypto";
import type { Response } from "express";

/** Markup that is already safe: produced by `html`, never by concatenating input. */
export class SafeHtml {
  constructor(readonly value: string) {}
}

/** The one escaping helper: every value put into a page goes through it. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === undefined || value === null || value === false) return "";
  return escapeHtml(String(value));
}

/** A template tag that escapes every interpolated value unless it is SafeHtml (or a list of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? "");
  });
  return new SafeHtml(out);
}

export interface Page {
  title: string;
  /** Names the page for tests and the sign-in driver: `<main data-step="…">`. */
  step: string;
  body: SafeHtml;
  /** Where this page's forms may post or redirect to, besides the tenant itself (CSP form-action). */
  formTargets?: string[];
  /** A script to run (only the form_post page has one). */
  script?: string;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f2f2f2;color:#1b1b1b}
.banner{background:#8a1c1c;color:#fff;padding:.5rem 1rem;font-weight:600;text-align:center}
main{max-width:28rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.5rem;font-weight:600;margin:.2rem 0 1rem}
ul{padding:0;list-style:none}
li{margin:.4rem 0}
button{font:inherit;padding:.45rem 1rem;border:1px solid #8c8c8c;background:#fff;cursor:pointer}
button.primary{background:#0067b8;border-color:#0067b8;color:#fff}
.users button{width:100%;text-align:left}
.users small,.muted{color:#5e5e5e}
label{display:block;margin:.6rem 0}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.4rem;font:inherit}
.error{color:#a80000}
.actions{display:flex;gap:.5rem;justify-content:flex-end;margin-top:1rem}
dl{font-size:.8rem;color:#5e5e5e}
`;

/** The CSP source for a URL: its origin, or its scheme for custom-scheme redirect URIs. */
export function cspSource(uri: string): string | undefined {
  try {
    const url = new URL(uri);
    return url.origin !== "null" ? url.origin : url.protocol;
  } catch {
    return undefined;
  }
}

/** Sends a page in the shared layout, with a strict Content-Security-Policy. */
export function sendPage(res: Response, page: Page, status = 200): void {
  const nonce = randomBytes(16).toString("base64");
  const formAction = ["'self'", ...(page.formTargets ?? [])].join(" ");
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    page.script ? `script-src 'nonce-${nonce}'` : "script-src 'none'",
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${page.title} · mcp-entra dev tenant</title>
<style nonce="${nonce}">${new SafeHtml(STYLE)}</style>
</head>
<body>
<div class="banner" role="note">mcp-entra dev tenant — for development only</div>
<main data-step="${page.step}">
<h1>${page.title}</h1>
${page.body}
</main>
${page.script ? html`<script nonce="${nonce}">${new SafeHtml(page.script)}</script>` : ""}
</body>
</html>`;
  res
    .status(status)
    .set({
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": csp,
      "Cache-Control": "no-store",
      Pragma: "no-cache",
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    })
    .send(document.value);
}
