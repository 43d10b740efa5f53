/**
 * Strings that name an issuer "almost": the forms RFC 3986 §6.2.2–6.2.3 calls equivalent after
 * normalisation, which MCP clients MUST NOT apply before comparing `iss` (2026-07-28
 * basic/authorization/index.mdx, "Authorization Response Validation") or the metadata `issuer`
 * (authorization-server-discovery.mdx: "MUST be identical").
 */
export type IssuerVariant =
  /** The issuer itself. */
  | "exact"
  /** Another issuer altogether (a mix-up attacker's or another authorization server's). */
  | "other-issuer"
  /** Scheme and host upper-cased (scheme/host case folding, §6.2.2.1). */
  | "uppercase"
  /** The default port spelled out, `http://host:80` (§6.2.3); needs an issuer on port 80. */
  | "default-port"
  /** A trailing slash added (or removed when the issuer ends with one) (§6.2.3 path normalisation). */
  | "trailing-slash"
  /** One unreserved character percent-encoded (§6.2.2.2). */
  | "percent-encoded";

/** A variant, or a literal string used as is. */
export type IssuerForm = IssuerVariant | { literal: string };

const SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/:?#]+)(:\d+)?([^?#]*)$/;

export function issuerVariant(issuer: string, form: IssuerForm): string {
  if (typeof form === "object") return form.literal;
  const match = SHAPE.exec(issuer);
  if (!match) throw new Error(`not an issuer identifier this fixture can vary: ${issuer}`);
  const [, scheme = "", host = "", port = "", path = ""] = match;
  switch (form) {
    case "exact":
      return issuer;
    case "other-issuer":
      return `${scheme}://other-issuer.invalid${port}${path}`;
    case "uppercase":
      return `${scheme.toUpperCase()}://${host.toUpperCase()}${port}${path}`;
    case "default-port": {
      if (port !== "") {
        throw new Error(
          `the default-port variant needs an issuer without an explicit port (start the authorization server with listen: "default-port"); got ${issuer}`,
        );
      }
      return `${scheme}://${host}:${scheme.toLowerCase() === "https" ? 443 : 80}${path}`;
    }
    case "trailing-slash":
      return issuer.endsWith("/") ? issuer.slice(0, -1) : `${issuer}/`;
    case "percent-encoded": {
      const inPath = /[A-Za-z0-9]/.exec(path);
      if (inPath)
        return `${scheme}://${host}${port}${path.slice(0, inPath.index)}${encode(inPath[0])}${path.slice(inPath.index + 1)}`;
      return `${scheme}://${encode(host.charAt(0))}${host.slice(1)}${port}${path}`;
    }
  }
}

function encode(character: string): string {
  return `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
}
