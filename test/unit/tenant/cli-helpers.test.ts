import { describe, expect, it } from "vitest";
import { shellQuote } from "../../../src/commands/tenant/env.js";
import { formatDuration } from "../../../src/commands/tenant/status.js";
import { DEFAULT_TENANT_PORT, resolveTenantPort } from "../../../src/tenant/server/port.js";

describe("resolveTenantPort", () => {
  it("takes --port, else MCP_ENTRA_TENANT_PORT, else the default", () => {
    expect(resolveTenantPort(5000, { MCP_ENTRA_TENANT_PORT: "6000" })).toEqual({
      port: 5000,
      explicit: true,
    });
    expect(resolveTenantPort(undefined, { MCP_ENTRA_TENANT_PORT: "6000" })).toEqual({
      port: 6000,
      explicit: true,
    });
    expect(resolveTenantPort(undefined, {})).toEqual({ port: DEFAULT_TENANT_PORT, explicit: false });
    expect(resolveTenantPort(undefined, { MCP_ENTRA_TENANT_PORT: " " }).port).toBe(DEFAULT_TENANT_PORT);
  });

  it("names the variable when its value is not a port", () => {
    expect(() => resolveTenantPort(undefined, { MCP_ENTRA_TENANT_PORT: "70000" })).toThrow(
      /^MCP_ENTRA_TENANT_PORT: "70000" is not a port number/,
    );
  });
});

describe("tenant env and status formatting", () => {
  it("quotes values for POSIX shells", () => {
    expect(shellQuote("/home/o'neil/ca.pem")).toBe("'/home/o'\\''neil/ca.pem'");
  });

  it("formats uptime briefly", () => {
    expect([5, 65, 3700, 90000].map(formatDuration)).toEqual(["5s", "1m 5s", "1h 1m", "1d 1h"]);
  });
});
