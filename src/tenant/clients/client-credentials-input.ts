/** The client credentials a token request carries, from the body or an HTTP Basic header. */
export interface PresentedCredentials {
  clientId?: string;
  clientSecret?: string;
  assertion?: string;
  assertionType?: string;
}

export function presentedCredentials(
  params: Record<string, string | undefined>,
  authorization: string | undefined,
): PresentedCredentials {
  const presented: PresentedCredentials = {
    clientId: params.client_id,
    clientSecret: params.client_secret,
    assertion: params.client_assertion,
    assertionType: params.client_assertion_type,
  };
  const basic = authorization?.match(/^Basic\s+(.+)$/i)?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) {
      presented.clientId ??= decodeURIComponent(decoded.slice(0, colon));
      presented.clientSecret ??= decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  return presented;
}
