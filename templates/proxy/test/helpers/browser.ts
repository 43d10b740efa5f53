/** What the person at the browser does on the proxy's consent page. */
export type ConsentAnswer = "allow" | "deny" | "look";

/** The consent page's form, as a browser reads it. */
export interface ConsentForm {
  action: string;
  fields: Record<string, string>;
  clientId: string;
  user: string;
}

/**
 * The tests' browser, with its person: it follows redirects, keeps cookies (by host name, Secure
 * ones sent over https only, as a browser does), and on the proxy's consent page its person clicks `consent`
 * (or, with "look", stops there). `visited` holds every URL requested; `page` the last page shown.
 */
export class TestBrowser {
  visited: URL[] = [];
  page?: { url: URL; status: number; html: string };
  /** hostname → cookie name → value (cookies do not tell ports apart). */
  private readonly jar = new Map<string, Map<string, { value: string; secure: boolean }>>();

  constructor(
    private readonly fetchImpl: typeof fetch,
    public consent: ConsentAnswer = "allow",
  ) {}

  /** One request with this browser's cookies; it keeps the cookies the answer sets. */
  async request(url: URL | string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const cookies = [...(this.jar.get(target.hostname) ?? new Map())]
      .filter(([, cookie]) => target.protocol === "https:" || !cookie.secure)
      .map(([name, cookie]) => `${name}=${cookie.value}`)
      .join("; ");
    const headers = new Headers(init.headers);
    if (cookies) headers.set("Cookie", cookies);
    const response = await this.fetchImpl(target, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) this.keep(target, line);
    return response;
  }

  /**
   * Goes to `start` and follows redirects until one leads under `stopAt` (returned, not requested)
   * or a page is shown (undefined; see `page`). On a consent page, the person answers first.
   */
  async visit(start: URL | string, stopAt: string): Promise<URL | undefined> {
    let next: URL = new URL(start);
    let init: RequestInit = {};
    for (let hop = 0; hop < 10; hop++) {
      if (next.href.startsWith(stopAt)) return next;
      this.visited.push(next);
      const response = await this.request(next, init);
      init = {};
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        next = new URL(location, next);
        continue;
      }
      this.page = { url: next, status: response.status, html: await response.text() };
      const form = consentForm(this.page.html);
      if (!form || this.consent === "look") return undefined;
      next = new URL(form.action, next);
      init = {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: next.origin },
        body: new URLSearchParams({ ...form.fields, decision: this.consent }),
      };
    }
    throw new Error("Too many redirects");
  }

  private keep(url: URL, line: string): void {
    const [pair = "", ...attributes] = line.split(";");
    const equals = pair.indexOf("=");
    const name = pair.slice(0, equals).trim();
    const cookies = this.jar.get(url.hostname) ?? new Map();
    this.jar.set(url.hostname, cookies);
    const has = (pattern: RegExp) => attributes.some((attribute) => pattern.test(attribute.trim()));
    if (has(/^max-age=0$/i)) cookies.delete(name);
    else cookies.set(name, { value: pair.slice(equals + 1).trim(), secure: has(/^secure$/i) });
  }
}

/** The consent form on a page of the proxy, or undefined when the page has none. */
export function consentForm(html: string): ConsentForm | undefined {
  const form = /<form\b([^>]*\bdata-mcp-consent\b[^>]*)>([\s\S]*?)<\/form>/.exec(html);
  if (!form) return undefined;
  const attribute = (tag: string, name: string) =>
    unescapeHtml(new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1] ?? "");
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input\b[^>]*>/g)) {
    if (attribute(input[0], "type") === "hidden")
      fields[attribute(input[0], "name")] = attribute(input[0], "value");
  }
  return {
    action: attribute(form[1]!, "action"),
    fields,
    clientId: attribute(form[1]!, "data-client-id"),
    user: attribute(form[1]!, "data-user"),
  };
}

/** What the page says, without markup. */
export function pageText(html: string): string {
  return unescapeHtml(html.replace(/<style>[\s\S]*?<\/style>/, "").replace(/<[^>]+>/g, " ")).replace(
    /\s+/g,
    " ",
  );
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}
