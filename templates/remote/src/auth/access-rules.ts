import type { Caller } from "./token-validator.js";

/**
 * What a tool requires of its caller. Either list is "any of": a delegated token passes with one of
 * the scopes, a user or an app passes with one of the roles.
 */
export interface AccessRule {
  scopes?: string[];
  roles?: string[];
  /** Only for tokens that act for a signed-in user (the tool calls Graph on the user's behalf). */
  delegatedOnly?: boolean;
}

export function isAllowed(rule: AccessRule, caller: Caller): boolean {
  if (rule.delegatedOnly && caller.kind !== "user") return false;
  const byScope =
    caller.kind === "user" && (rule.scopes ?? []).some((scope) => caller.scopes.includes(scope));
  const byRole = (rule.roles ?? []).some((role) => caller.roles.includes(role));
  return byScope || byRole;
}

/** A sentence for error messages, e.g. "scope user_impersonation or app role Tools.Read". */
export function describeRule(rule: AccessRule): string {
  const parts: string[] = [];
  if (rule.scopes?.length) parts.push(`scope ${rule.scopes.join(" or ")}`);
  if (rule.roles?.length) parts.push(`app role ${rule.roles.join(" or ")}`);
  const text = parts.join(" or ") || "nothing";
  return rule.delegatedOnly ? `a signed-in user with ${text}` : text;
}
