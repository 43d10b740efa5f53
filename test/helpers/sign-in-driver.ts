import { trustedFetch } from "../../src/entra/trust.js";

/**
 * Drives the dev tenant's sign-in pages over HTTPS as a person in a browser would, without a browser:
 *
 *     const driver = new SignInDriver({ caPem: tenant.caPem, user: "alex@…" });
 *     const outcome = await driver.authorize(authorizeUrl);          // sign-in, consent, redirect
 *     if (outcome.kind === "redirect") outcome.params.code;
 *     await driver.approveDeviceCode(verificationUri, userCode);     // the /devicelogin page
 *
 * It keeps the tenant's session cookie between calls (so a second authorize is silent), picks the
 * test user with one click (or types user name and password when `password` is given), answers the
 * consent page, and delivers the response: a form_post is POSTed to the redirect URI (what msal's
 * loopback server accepts, so it can be msal's `openBrowser`), a query redirect is followed with GET.
 * Pages the flow stops at (errors, a failed sign-in, the end of a device sign-in) come back as
 * `kind: "page"` with their step and AADSTS code.
 */

export interface SignInChoice {
  /** The test user, by UPN or object id. Default: the first user the sign-in page offers. */
  user?: string;
  /** Type user name and password instead of choosing the user with one click. */
  password?: string;
  /** The answer on the consent page. Default: accept. */
  consent?: "accept" | "accept-for-organization" | "cancel";
  /** Deliver the final response to the redirect URI (default true); false only reads it. */
  deliver?: boolean;
}

/** The flow ended by sending the browser back to the client. */
export interface Redirected {
  kind: "redirect";
  responseMode: "query" | "fragment" | "form_post";
  /** The redirect URI, without the response parameters. */
  redirectUri: string;
  /** code, state, session_state, client_info — or error, error_description, error_uri, state. */
  params: Record<string, string>;
  /** The pages passed on the way (data-step of each), e.g. ["sign-in", "consent", "form-post"]. */
  steps: string[];
  /** The redirect URI's answer when the response was delivered. */
  delivered?: { status: number; body: string };
}

/** The flow stopped at a page of the tenant. */
export interface StoppedAtPage {
  kind: "page";
  step: string;
  status: number;
  /** The AADSTS code the page shows, if any. */
  aadsts?: number;
  html: string;
  steps: string[];
}

export type SignInOutcome = Redirected | StoppedAtPage;

interface ParsedForm {
  name: string;
  action: string;
  fields: Record<string, string>;
  buttons: { name?: string; value?: string; upn?: string }[];
}

const MAX_STEPS = 12;

export class SignInDriver {
  private readonly fetch: ReturnType<typeof trustedFetch>;
  private readonly cookies = new Map<string, string>();

  constructor(private readonly defaults: SignInChoice & { caPem: string }) {
    this.fetch = trustedFetch([defaults.caPem]);
  }

  /** Opens an /authorize URL and goes through its pages until the flow leaves the tenant or stops. */
  authorize(url: string, choice: SignInChoice = {}): Promise<SignInOutcome> {
    return this.run(new URL(url).origin, { method: "GET", url }, { ...this.defaults, ...choice });
  }

  /** Types a device's user code on /devicelogin, then signs in and consents. */
  approveDeviceCode(
    verificationUri: string,
    userCode: string,
    choice: SignInChoice = {},
  ): Promise<SignInOutcome> {
    const origin = new URL(verificationUri).origin;
    return this.run(
      origin,
      { method: "POST", url: verificationUri, form: { otc: userCode } },
      { ...this.defaults, ...choice },
    );
  }

  /** Forgets the tenant's session cookie (the next authorize shows the sign-in page again). */
  signOut(): void {
    this.cookies.clear();
  }

  private async run(
    origin: string,
    first: { method: "GET" | "POST"; url: string; form?: Record<string, string> },
    choice: SignInChoice,
  ): Promise<SignInOutcome> {
    const steps: string[] = [];
    let request = first;
    for (let count = 0; count < MAX_STEPS; count++) {
      const response = await this.send(request);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        const target = new URL(location, request.url);
        if (target.origin === origin) {
          request = { method: "GET", url: target.toString() };
          continue;
        }
        return this.redirected(target, steps, choice);
      }
      const html = await response.text();
      const step = html.match(/<main data-step="([^"]+)"/)?.[1] ?? "unknown";
      const seenBefore = steps.includes(step);
      steps.push(step);
      const stop = (): StoppedAtPage => ({
        kind: "page",
        step,
        status: response.status,
        aadsts: Number(html.match(/data-aadsts="(\d+)"/)?.[1]) || undefined,
        html,
        steps,
      });
      const forms = parseForms(html, request.url);
      const form = (name: string) => forms.find((candidate) => candidate.name === name);
      if (step === "form-post") return this.formPost(form("response")!, steps, choice);
      // A page seen twice means the last answer was refused (a wrong password, a wrong code).
      if (seenBefore) return stop();
      const next = this.answer(step, form, choice);
      if (!next) return stop();
      request = next;
    }
    throw new Error(`The sign-in did not finish within ${MAX_STEPS} pages`);
  }

  private answer(
    step: string,
    form: (name: string) => ParsedForm | undefined,
    choice: SignInChoice,
  ): { method: "POST"; url: string; form: Record<string, string> } | undefined {
    const post = (found: ParsedForm | undefined, extra: Record<string, string>) =>
      found && { method: "POST" as const, url: found.action, form: { ...found.fields, ...extra } };
    switch (step) {
      case "sign-in": {
        if (choice.password !== undefined) {
          if (!choice.user) throw new Error("SignInDriver: `password` needs `user`");
          return post(form("credentials"), { username: choice.user, password: choice.password });
        }
        const chooser = form("choose-user");
        const wanted = choice.user?.toLowerCase();
        const button = chooser?.buttons.find((b) => !wanted || b.upn === wanted || b.value === wanted);
        if (!button?.value)
          throw new Error(`SignInDriver: the sign-in page offers no user ${choice.user ?? ""}`);
        return post(chooser, { user: button.value });
      }
      case "consent": {
        const answer = choice.consent ?? "accept";
        const extra: Record<string, string> = { action: answer === "cancel" ? "cancel" : "accept" };
        if (answer === "accept-for-organization") extra.organization = "yes";
        return post(form("consent"), extra);
      }
      case "admin-approval":
        return post(form("return"), { action: "return" });
      default:
        return undefined;
    }
  }

  private async send(request: { method: "GET" | "POST"; url: string; form?: Record<string, string> }) {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    }
    if (request.form) headers["content-type"] = "application/x-www-form-urlencoded";
    const response = await this.fetch(request.url, {
      method: request.method,
      headers,
      body: request.form ? new URLSearchParams(request.form).toString() : undefined,
      redirect: "manual",
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (pair && eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return response;
  }

  private async redirected(target: URL, steps: string[], choice: SignInChoice): Promise<Redirected> {
    const fragment = target.hash.length > 1;
    const params = Object.fromEntries(new URLSearchParams(fragment ? target.hash.slice(1) : target.search));
    const redirectUri = `${target.origin === "null" ? `${target.protocol}//${target.host}` : target.origin}${target.pathname}`;
    const outcome: Redirected = {
      kind: "redirect",
      responseMode: fragment ? "fragment" : "query",
      redirectUri,
      params,
      steps,
    };
    if (choice.deliver !== false && !fragment && /^https?:$/.test(target.protocol)) {
      outcome.delivered = await deliver(this.fetch, target.toString(), { method: "GET" });
    }
    return outcome;
  }

  private async formPost(form: ParsedForm, steps: string[], choice: SignInChoice): Promise<Redirected> {
    const outcome: Redirected = {
      kind: "redirect",
      responseMode: "form_post",
      redirectUri: form.action,
      params: form.fields,
      steps,
    };
    if (choice.deliver !== false) {
      outcome.delivered = await deliver(this.fetch, form.action, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form.fields).toString(),
      });
    }
    return outcome;
  }
}

async function deliver(
  fetchImpl: ReturnType<typeof trustedFetch>,
  url: string,
  init: RequestInit,
): Promise<{ status: number; body: string }> {
  try {
    const response = await fetchImpl(url, { ...init, redirect: "manual" });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    throw new Error(
      `SignInDriver: could not deliver the response to ${url} (pass deliver: false to only read it)`,
      {
        cause: error,
      },
    );
  }
}

function unescapeHtml(value: string): string {
  return value
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of tag.matchAll(/([\w-]+)="([^"]*)"/g)) found[match[1]!] = unescapeHtml(match[2]!);
  return found;
}

/** The forms of one of the tenant's own pages (it writes them in one known shape). */
function parseForms(html: string, base: string): ParsedForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((match) => {
    const attrs = attributes(match[1]!);
    const body = match[2]!;
    const fields: Record<string, string> = {};
    for (const input of body.matchAll(/<input\b([^>]*)>/g)) {
      const field = attributes(input[1]!);
      if (field.type === "hidden" && field.name) fields[field.name] = field.value ?? "";
    }
    const buttons = [...body.matchAll(/<button\b([^>]*)>/g)].map((button) => {
      const field = attributes(button[1]!);
      return { name: field.name, value: field.value, upn: field["data-upn"] };
    });
    return {
      name: attrs["data-form"] ?? "",
      action: new URL(attrs.action ?? "", base).toString(),
      fields,
      buttons,
    };
  });
}
