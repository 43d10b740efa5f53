import { describe, expect, it } from "vitest";
import { AADSTS } from "../../../src/entra/aadsts.js";
import { explainAadsts, explanationsIn } from "../../../src/entra/explain.js";
import { MCP_FAILURES } from "../../../src/entra/mcp-failures.js";
import { unknownCommandsAndFlags } from "../../helpers/cli-commands.js";

describe("the fixes mcp-entra suggests", () => {
  const fixes = [...AADSTS.values(), ...MCP_FAILURES.values()]
    .filter((entry) => entry.fix)
    .map((entry) => [String(entry.code), entry.fix!] as const);

  it.each(fixes)("%s names real commands and flags", (_code, fix) => {
    expect(unknownCommandsAndFlags(fix)).toEqual([]);
  });

  it("the checker catches a command or flag that does not exist", () => {
    expect(unknownCommandsAndFlags("mcp-entra frobnicate now")).toEqual([
      'no command "mcp-entra frobnicate"',
    ]);
    expect(unknownCommandsAndFlags("mcp-entra register --no-such-flag")).toEqual([
      "--no-such-flag is no flag of register",
    ]);
    expect(unknownCommandsAndFlags("mcp-entra register --no-admin-consent --new-secret")).toEqual([]);
  });

  it("explains the common MCP client failures by their code, before the AADSTS codes in the text", () => {
    expect(explainAadsts("prm_resource_mismatch")).toMatchObject({
      field: expect.stringContaining("MCP_SERVER_URL"),
      fix: expect.stringContaining("--server-url"),
    });
    const found = explanationsIn("The token request failed: AADSTS7000222: expired", "TOKEN_REJECTED");
    expect(found.map((item) => item.code)).toEqual(["TOKEN_REJECTED", "AADSTS7000222"]);
    expect(found[1]?.fix).toContain("mcp-entra secret rotate");
  });
});
