import type { FlowState } from "../flow-state.js";
import type { ProbeTokenResult } from "./probe-tokens.js";

/**
 * Probe tokens test-flow makes itself from the flow's own token, whatever issued it: the same header
 * (kid included) and claims, signed by a key the issuer never published; and the same claims unsigned,
 * with `alg: none`. A server that checks signatures against the issuer's published keys refuses both.
 */
export function forgedTokens(state: FlowState) {
  const parts = (): { header: Record<string, unknown>; payload: string } | { skip: string } => {
    const token = state.auth.tokens?.access_token;
    if (!token) return { skip: "The flow got no token to forge the probe token from." };
    const [header, payload] = token.split(".");
    try {
      return {
        header: JSON.parse(Buffer.from(header ?? "", "base64url").toString()) as Record<string, unknown>,
        payload: payload ?? "",
      };
    } catch {
      return { skip: "The flow's token is not a JWT, so no probe token can be forged from it." };
    }
  };
  // The unpublished key is generated while the probes before it run: an RSA key takes 0.1 s of CPU or more.
  const first = parts();
  const ec = "header" in first && String(first.header.alg ?? "RS256").startsWith("ES");
  const newKey =
    "header" in first
      ? import("jose").then(({ generateKeyPair }) => generateKeyPair(ec ? "ES256" : "RS256"))
      : undefined;
  newKey?.catch(() => undefined); // awaited by the probe, which reports a failure
  const record = (token: string, how: string) => {
    state.report.secret(token);
    return { token, how };
  };
  return {
    async unpublishedKey(): Promise<ProbeTokenResult> {
      const found = parts();
      if ("skip" in found) return found;
      const { CompactSign } = await import("jose");
      const { privateKey } = await newKey!;
      const header = { ...found.header, alg: ec ? "ES256" : "RS256" };
      const token = await new CompactSign(Buffer.from(found.payload, "base64url"))
        .setProtectedHeader(header as { alg: string })
        .sign(privateKey);
      return record(
        token,
        `the flow's token signed again with a new ${header.alg} key, kid ${JSON.stringify(found.header.kid ?? null)} kept`,
      );
    },
    async algNone(): Promise<ProbeTokenResult> {
      const found = parts();
      if ("skip" in found) return found;
      const header = Buffer.from(JSON.stringify({ ...found.header, alg: "none" })).toString("base64url");
      return record(`${header}.${found.payload}.`, "the flow's token with alg none and no signature");
    },
  };
}
