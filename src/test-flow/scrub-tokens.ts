/**
 * Text from outside our control — a stdio server's stderr, a tool's answer — shown to people and put in
 * reports: whatever looks like a token or secret is replaced first. Values the flow itself handles are
 * redacted exactly by the report builder; this catches what it cannot know.
 */

/**
 * Replaces whatever looks like a token or secret: JWTs, Entra client secrets (`…8Q~…`), bearer values,
 * token/secret/code parameters.
 */
export function scrubTokens(text: string): string {
  return text
    .replace(
      /\b((?:access|refresh|id)_token|device_code|client_secret|code_verifier|assertion|password)(["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi,
      "$1$2[redacted]",
    )
    .replace(/([?&#]code=)[^&\s"']+/g, "$1[redacted]")
    .replace(/eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g, "[redacted token]")
    .replace(/[\w~.-]{3}8Q~[\w~.-]{20,}/g, "[redacted secret]")
    .replace(/(\bBearer\s+)[\w.~+/=-]{8,}/gi, "$1[redacted]");
}
