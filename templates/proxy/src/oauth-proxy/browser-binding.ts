import type { Request, Response } from "express";
import { randomToken, safeEqual, sha256 } from "./crypto-helpers.js";
import { RECORD_TTL_MS } from "./proxy-store.js";

/**
 * Ties a sign-in to the browser that started it. /authorize sets a cookie (HttpOnly, SameSite=Lax,
 * Secure and `__Host-` on https, so no other site or subdomain can read, send or plant it); the
 * sign-in keeps only its hash, and Entra's callback and the consent form are honoured only with it.
 * A sign-in link sent to someone else, or Entra's answer delivered to another browser, goes nowhere.
 * One value per browser, reused by the sign-ins it starts, so that two at once both finish.
 */
export interface BrowserBinding {
  /** The browser's value (its cookie's, or a new one), with the cookie (re)set on the response. */
  bind(req: Request, res: Response): string;
  /** True when the request carries the cookie whose hash is `expected`. */
  matches(req: Request, expected: string): boolean;
  /** The well-formed values of the cookie the request carries (the consent form's token is tied to one). */
  valuesOf(req: Request): string[];
}

const VALUE = /^[A-Za-z0-9_-]{43}$/;

export function createBrowserBinding(serverUrl: string): BrowserBinding {
  const secure = new URL(serverUrl).protocol === "https:";
  // The __Host- prefix needs Secure (so https) and Path=/ without Domain: a host-only cookie.
  const name = secure ? "__Host-mcp-sign-in" : "mcp-sign-in";
  const valuesOf = (req: Request) =>
    cookieValues(req.headers.cookie, name).filter((value) => VALUE.test(value));
  return {
    bind(req, res) {
      const value = valuesOf(req)[0] ?? randomToken();
      res.cookie(name, value, {
        httpOnly: true,
        secure,
        sameSite: "lax",
        path: "/",
        maxAge: RECORD_TTL_MS["sign-in"] + RECORD_TTL_MS.consent,
      });
      return value;
    },
    matches: (req, expected) => valuesOf(req).some((value) => safeEqual(sha256(value), expected)),
    valuesOf,
  };
}

/** Every value of the cookie `name` in a Cookie header (a browser may send several). */
function cookieValues(header: string | undefined, name: string): string[] {
  const values: string[] = [];
  for (const part of (header ?? "").split(";")) {
    const equals = part.indexOf("=");
    if (equals > 0 && part.slice(0, equals).trim() === name) values.push(part.slice(equals + 1).trim());
  }
  return values;
}
