import type { AddClientAuthentication, OAuthClientInformationMixed } from "@modelcontextprotocol/client";

/**
 * Client authentication with a secret at the token endpoint. Ours because the SDK's client_secret_basic
 * joins the client id and secret as they are, while RFC 6749 §2.3.1 form-urlencodes each before
 * joining them (a secret with `+`, `%` or `:`, or an id with `:`, is refused otherwise by an
 * authorization server that decodes them as the RFC says), and because the SDK chooses basic whenever
 * the server allows it while a pre-registered client must use the method it was registered with
 * (--token-endpoint-auth-method). Other methods keep the SDK's handling (undefined).
 */
export function clientAuthentication(
  information: OAuthClientInformationMixed,
  method: string,
): AddClientAuthentication | undefined {
  const { client_id: id, client_secret: secret } = information;
  if (secret === undefined) return undefined;
  if (method === "client_secret_post") {
    return (_headers, params) => {
      params.set("client_id", id);
      params.set("client_secret", secret);
    };
  }
  if (method !== "client_secret_basic") return undefined;
  const credentials = `${formEncode(id)}:${formEncode(secret)}`;
  return (headers) => {
    headers.set("Authorization", `Basic ${Buffer.from(credentials).toString("base64")}`);
  };
}

/** application/x-www-form-urlencoded, as URLSearchParams writes it. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
