import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { newRefreshToken } from "../../src/tenant/tokens/token-response.js";
import { captureUi } from "../helpers/capture-ui.js";
import { useDevTenant } from "../helpers/dev-tenant.js";
import { addApi, addClient } from "../helpers/sign-in-fixtures.js";
import { LeakScanner } from "../setup/leak-scan.js";

/** The suite-wide secret scan (test/setup/secret-ledger.ts): its wiring, and the scanner itself. */
describe("the secret ledger", () => {
  const tenant = useDevTenant();

  it("is on in every worker: the dev tenant records what it issues, the capture helpers what they saw", async () => {
    const ledger = process.env.MCP_ENTRA_SECRET_LEDGER;
    const outputs = process.env.MCP_ENTRA_TEST_OUTPUTS;
    expect(ledger).toBeTruthy();
    expect(outputs).toBeTruthy();
    const t = tenant();
    const api = await addApi(t);
    const { app, secret } = await addClient(t, { servicePrincipal: true, secret: true });
    const { access_token } = await t.issueToken({
      clientId: app.appId,
      scope: `api://${api.app.appId}/.default`,
    });
    const refresh = await newRefreshToken(t.ctx, app.appId, t.store.state.users[0]!.id, [api.scope]);
    const recorded = (await readFile(ledger!, "utf8")).split("\n");
    for (const value of [secret!, access_token, refresh]) expect(recorded).toContain(value);

    const capture = captureUi();
    capture.ui.print("a line the scan will read");
    const files = await readdir(outputs!);
    const texts = await Promise.all(files.map((name) => readFile(join(outputs!, name), "utf8")));
    expect(texts.some((text) => text.includes("a line the scan will read"))).toBe(true);
  });

  it("finds a value wherever it sits in a line, and nothing that is only part of one", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi0xMjM0NTY";
    const secret = "Ab18Q~abcdefghijklmnopqrstuvwxyz0123456789AB";
    const refresh = "1.dev.ZmFrZS1yZWZyZXNoLXRva2VuLXdpdGgtZW5vdWdoLWNoYXJhY3RlcnM";
    const scanner = new LeakScanner([jwt, secret, refresh, ""].join("\n"));
    expect(scanner.size).toBe(3);
    expect(scanner.find(`{"access_token":"${jwt}"}`)).toEqual([jwt]);
    expect(scanner.find(`Authorization: Bearer ${jwt}.`)).toEqual([jwt]);
    expect(scanner.find(`client_secret=${secret.replace("~", "%7E")}&x=1`)).toEqual([secret]);
    expect(scanner.find(`rt=${refresh}\n`)).toEqual([refresh]);
    expect(scanner.find(`…${jwt.slice(0, -1)} ${secret.slice(1)} ${refresh.slice(0, 40)}`)).toEqual([]);
  });

  it("scans thousands of values against megabytes of output in well under a second", () => {
    const values = Array.from({ length: 20_000 }, () => `1.dev.${randomBytes(48).toString("base64url")}`);
    const scanner = new LeakScanner(values.join("\n"));
    const output = `${"The dev tenant is running at https://localhost:44331 (pid 123).\n".repeat(40_000)}${values[12_345]}`;
    const started = performance.now();
    expect(scanner.find(output)).toEqual([values[12_345]]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
