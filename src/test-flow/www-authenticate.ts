/**
 * Ours because the SDK's `extractWWWAuthenticateParams` reads only a header that starts with its
 * Bearer (or DPoP) challenge, with one regular expression per parameter.
 *
 * `WWW-Authenticate` parsing (RFC 9110 §11.6.1): a list of challenges, each a scheme with either a
 * token68 or comma-separated `name=value` parameters (values are tokens or quoted strings). A header
 * may carry several challenges (`DPoP …, Bearer …`), so a regular expression over the whole header is
 * not enough.
 */
export interface AuthChallenge {
  scheme: string;
  token68?: string;
  /** Parameter names in lower case. */
  params: Record<string, string>;
}

/** What an MCP client reads from a Bearer challenge (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  resourceMetadata?: string;
  scope?: string;
  error?: string;
  errorDescription?: string;
  /** The header as received, for the report. */
  header: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;
const PARAM =
  /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[ \t]*=[ \t]*(?:"((?:[^"\\]|\\.)*)"|([!#$%&'*+\-.^_`|~0-9A-Za-z]+))/;
const TOKEN68 = /^([A-Za-z0-9\-._~+/]+=*)[ \t]*(?=,|$)/;

export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let current: AuthChallenge | undefined;
  let justAfterScheme = false;
  let rest = header;
  while (rest.length > 0) {
    const skipped = rest.replace(/^[ \t]+/, "");
    if (skipped.startsWith(",")) {
      justAfterScheme = false;
      rest = skipped.slice(1);
      continue;
    }
    rest = skipped;
    if (rest.length === 0) break;
    const param = current ? PARAM.exec(rest) : null;
    if (current && param) {
      const value = param[2] !== undefined ? param[2].replace(/\\(.)/g, "$1") : (param[3] ?? "");
      current.params[param[1]!.toLowerCase()] = value;
      justAfterScheme = false;
      rest = rest.slice(param[0].length);
      continue;
    }
    const token68 = current && justAfterScheme ? TOKEN68.exec(rest) : null;
    if (current && token68) {
      current.token68 = token68[1];
      justAfterScheme = false;
      rest = rest.slice(token68[0].length);
      continue;
    }
    const scheme = TOKEN.exec(rest);
    if (!scheme) {
      rest = rest.slice(1);
      continue;
    }
    current = { scheme: scheme[0], params: {} };
    challenges.push(current);
    justAfterScheme = true;
    rest = rest.slice(scheme[0].length);
  }
  return challenges;
}

/** The Bearer challenge of a response, if it has one. */
export function bearerChallenge(headers: Headers): BearerChallenge | undefined {
  const header = headers.get("www-authenticate");
  if (!header) return undefined;
  const bearer = parseWwwAuthenticate(header).find(
    (challenge) => challenge.scheme.toLowerCase() === "bearer",
  );
  if (!bearer) return undefined;
  return {
    resourceMetadata: bearer.params.resource_metadata,
    scope: bearer.params.scope,
    error: bearer.params.error,
    errorDescription: bearer.params.error_description,
    header,
  };
}
