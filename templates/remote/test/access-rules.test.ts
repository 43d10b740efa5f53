import { describe, expect, it } from "vitest";
import { isAllowed } from "../src/auth/access-rules.js";
import type { Caller } from "../src/auth/token-validator.js";
import { tools } from "../src/tools/index.js";

function caller(kind: Caller["kind"], scopes: string[], roles: string[]): Caller {
  return { kind, objectId: "o", tenantId: "t", clientId: "c", scopes, roles, expiresAt: 0, token: "x" };
}

const rule = (name: string) => {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool.access;
};

describe("tool access rules", () => {
  it("server_time: the delegated scope, or the Tools.Read role (app-only CI tokens)", () => {
    expect(isAllowed(rule("server_time"), caller("user", ["user_impersonation"], []))).toBe(true);
    expect(isAllowed(rule("server_time"), caller("app", [], ["Tools.Read"]))).toBe(true);
    expect(isAllowed(rule("server_time"), caller("app", [], []))).toBe(false);
    expect(isAllowed(rule("server_time"), caller("user", ["other"], []))).toBe(false);
  });

  it("whoami: delegated tokens only, whatever roles an app holds", () => {
    expect(isAllowed(rule("whoami"), caller("user", ["user_impersonation"], []))).toBe(true);
    expect(isAllowed(rule("whoami"), caller("app", [], ["Tools.Read", "Tools.Admin"]))).toBe(false);
  });

  it("server_status: the Tools.Admin role, for users and apps", () => {
    expect(isAllowed(rule("server_status"), caller("user", ["user_impersonation"], ["Tools.Admin"]))).toBe(
      true,
    );
    expect(isAllowed(rule("server_status"), caller("app", [], ["Tools.Admin"]))).toBe(true);
    expect(isAllowed(rule("server_status"), caller("user", ["user_impersonation"], ["Tools.Read"]))).toBe(
      false,
    );
  });
});
