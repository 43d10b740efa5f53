import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import {
  ENTRA_AUTHORITY_HOST,
  entraAuthorityHost,
  entraGraphBaseUrl,
  GRAPH_BASE_URL,
} from "../../../src/entra/tenant-target.js";

describe("Entra endpoints and their test overrides", () => {
  it("are Entra's and Graph's own without overrides", () => {
    expect(entraAuthorityHost({})).toBe(ENTRA_AUTHORITY_HOST);
    expect(entraGraphBaseUrl({ MCP_ENTRA_GRAPH_BASE_URL: " " })).toBe(GRAPH_BASE_URL);
  });

  it("take MCP_ENTRA_AUTHORITY_HOST and MCP_ENTRA_GRAPH_BASE_URL, without a trailing slash", () => {
    expect(entraAuthorityHost({ MCP_ENTRA_AUTHORITY_HOST: "https://localhost:44331/" })).toBe(
      "https://localhost:44331",
    );
    expect(entraGraphBaseUrl({ MCP_ENTRA_GRAPH_BASE_URL: "https://graph.contoso.test" })).toBe(
      "https://graph.contoso.test",
    );
  });

  it("refuse anything but an https URL, naming the variable", () => {
    for (const value of ["http://localhost:44331", "login.microsoftonline.com", "https://x.test/?a=1"]) {
      const call = () => entraAuthorityHost({ MCP_ENTRA_AUTHORITY_HOST: value });
      expect(call).toThrow(UsageError);
      expect(call).toThrow(/^MCP_ENTRA_AUTHORITY_HOST: must be an https URL/);
    }
  });
});
