import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trustedFetch } from "../../src/entra/trust.js";
import { adminTokenFile, tenantCaFile } from "../../src/tenant/server/runtime.js";
import { tempDir } from "../helpers/dev-tenant.js";
import { assertBuilt, freePort, runCli } from "../helpers/run-cli.js";

/** MCP_ENTRA_TENANT_FAULTS: fault injection (e.g. Entra-like propagation) for tenants the CLI starts. */
describe("MCP_ENTRA_TENANT_FAULTS (built binary)", () => {
  let home: string;
  beforeAll(async () => {
    assertBuilt();
    home = await tempDir();
  });
  afterAll(async () => {
    await runCli(["tenant", "stop"], { home });
    await rm(home, { recursive: true, force: true });
  });

  it("a detached tenant starts with it; a bad spec is exit 2 with one line naming the variable", async () => {
    const port = String(await freePort());
    const bad = await runCli(["tenant", "start", "--port", port], {
      home,
      env: { MCP_ENTRA_TENANT_FAULTS: "propagation:soon" },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^.*MCP_ENTRA_TENANT_FAULTS: Invalid fault spec/),
    ]);

    const started = await runCli(["tenant", "start", "--detach", "--port", port], {
      home,
      env: { MCP_ENTRA_TENANT_FAULTS: "propagation" },
    });
    expect(started.code, started.stderr).toBe(0);
    const dir = join(home, "dev-tenant");
    const token = (await readFile(adminTokenFile(dir), "utf8")).trim();
    const fetchImpl = trustedFetch([await readFile(tenantCaFile(dir), "utf8")]);
    const faults = await fetchImpl(`https://localhost:${port}/_admin/faults`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await faults.json()).toMatchObject({ secretPropagationMs: 10_000, consentPropagationMs: 5_000 });
  });
});
