/**
 * The canonical URI of an MCP server (MCP authorization, "Canonical Server URI"; RFC 8707 §2): lower-case
 * scheme and host, no default port, no fragment, no trailing slash. It is what the client sends as
 * `resource` and what the server's protected resource metadata must name.
 */
export function canonicalResourceUrl(input: string | URL): string {
  const url = new URL(input);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}${url.search}`;
}

/** Whether a PRM `resource` names the server (compared in canonical form). */
export function sameResource(resource: string, serverUrl: string): boolean {
  try {
    return canonicalResourceUrl(resource) === canonicalResourceUrl(serverUrl);
  } catch {
    return false;
  }
}
