import { createHash } from "node:crypto";
import type { Response } from "express";

/** The proxy's pages for people (the consent page, errors): plain HTML, no script, no framing. */

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{color:#555}
dd{margin:0;overflow-wrap:anywhere}.warning{background:#fff4ce;padding:.6rem .8rem;border-radius:4px}
code{font-size:.9em}form{display:flex;gap:.8rem;margin-top:1.5rem}
button{font:inherit;padding:.5rem 1.2rem;border-radius:4px;border:1px solid #888;background:#fff;cursor:pointer}
button[value=allow]{background:#0f6cbd;border-color:#0f6cbd;color:#fff}`;
const STYLE_HASH = `sha256-${createHash("sha256").update(STYLE).digest("base64")}`;

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * Sends a page. `body` is HTML the caller built with escapeHtml; `formTargets` are the origins a
 * form on it may lead to (its own, and where its answer redirects: browsers check redirects too).
 */
export function sendPage(
  res: Response,
  status: number,
  page: { title: string; body: string; formTargets?: string[] },
): void {
  const formAction = page.formTargets ? ["'self'", ...page.formTargets].join(" ") : "'none'";
  res
    .status(status)
    .set({
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": `default-src 'none'; style-src '${STYLE_HASH}'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
      "X-Frame-Options": "DENY",
      // same-origin, not no-referrer: with no-referrer, browsers send `Origin: null` on the form's POST.
      "Referrer-Policy": "same-origin",
      "X-Content-Type-Options": "nosniff",
    })
    .send(
      `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head><body>\n<h1>${escapeHtml(page.title)}</h1>\n${page.body}\n</body></html>\n`,
    );
}
