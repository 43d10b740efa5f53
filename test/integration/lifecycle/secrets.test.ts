import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readEnvFile, updateEnvFile } from "../../../src/core/env-file.js";
import { readProjectConfig, writeProjectConfig } from "../../../src/core/project-config.js";
import {
  renderSecretList,
  type secretListJson,
} from "../../../src/entra/registration/lifecycle/list-report.js";
import { renderSecretRotate } from "../../../src/entra/registration/lifecycle/rotate-report.js";
import { runSecretList } from "../../../src/entra/registration/lifecycle/secret-list.js";
import { runSecretRotate } from "../../../src/entra/registration/lifecycle/secret-rotate.js";
import type { PasswordCredential } from "../../../src/tenant/directory/tenant-state.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { expectMsalEntraError } from "../../helpers/entra-error.js";
import { delegatedGraphClient } from "../../helpers/graph.js";
import { projectCommands } from "../../helpers/lifecycle.js";
import { confidentialClient } from "../../helpers/msal-clients.js";

const DAY = 24 * 3600 * 1000;

describe("mcp-entra secret rotate and secret list", () => {
  const tenant = useDevTenant();
  let home: string;
  let dir: string;
  let appId: string;
  let objectId: string;
  const project = projectCommands(tenant, () => ({ home, dir }));
  const rotate = (flags: Record<string, unknown> = {}) =>
    project.run(runSecretRotate, flags, {
      render: renderSecretRotate,
      allowSecrets: flags.showSecret === true,
    });
  const list = (json = false) => project.run(runSecretList, {}, { render: renderSecretList, ui: { json } });
  const envSecret = async () => (await readEnvFile(join(dir, ".env"))).ENTRA_CLIENT_SECRET!;
  const managed = () =>
    tenant()
      .store.state.applications.find((app) => app.appId === appId)!
      .passwordCredentials.filter((c) => c.displayName?.startsWith("mcp-entra"));
  const graph = () =>
    delegatedGraphClient(tenant(), `adele@${tenant().domain}`, ["Application.ReadWrite.All"]);
  const addPassword = (displayName: string, endDateTime?: string) =>
    graph()
      .api(`/applications/${objectId}/addPassword`)
      .post({ passwordCredential: { displayName, endDateTime } }) as Promise<
      Omit<PasswordCredential, "secretText"> & { secretText: string }
    >;
  const token = (secret: string) => {
    const client = confidentialClient(tenant(), { clientId: appId, clientSecret: secret });
    return {
      ...client,
      call: client.msal.acquireTokenByClientCredential({ scopes: [`api://${appId}/.default`] }),
    };
  };

  beforeAll(async () => {
    home = await tempDir();
    dir = await tempDir("mcp-entra-project-");
    const { result } = await project.register();
    appId = result.outcome.app.appId;
    objectId = result.outcome.app.id;
  });

  it("list shows ids, hints, expiry and which secret .env holds — never a value", async () => {
    const other = await addPassword("deploy pipeline", new Date(Date.now() + 10 * DAY).toISOString());
    const { output } = await list();
    const { stdout } = await list(true);
    const json = JSON.parse(stdout) as ReturnType<typeof secretListJson>;
    const recorded = (await readProjectConfig(dir)).apps.remote!.secret!;
    expect(json.secrets).toEqual([
      expect.objectContaining({
        keyId: recorded.keyId,
        hint: recorded.hint,
        endDateTime: recorded.endDateTime,
        managed: true,
        inEnv: true,
        expired: false,
        expiresSoon: false,
      }),
      expect.objectContaining({
        keyId: other.keyId,
        displayName: "deploy pipeline",
        managed: false,
        inEnv: false,
        expiresSoon: true,
        daysLeft: 9,
      }),
    ]);
    expect(json.federatedCredentials).toEqual([]);
    expect(output).toContain(`secret ${recorded.keyId}  mcp-entra remote  hint ${recorded.hint}…`);
    expect(output).toContain("[managed by mcp-entra, in .env as ENTRA_CLIENT_SECRET]");
    expect(output).toContain("expires in 9 days");
    for (const text of [output, stdout]) {
      expect(text).not.toContain(await envSecret());
      expect(text).not.toContain(other.secretText);
      expect(text).not.toMatch(/secretText|"value"/);
    }
  });

  it("rotate: exactly one managed secret; the new value in .env authenticates and the old one is refused", async () => {
    const old = await envSecret();
    expect((await token(old).call)?.accessToken).toBeTruthy();
    const { result, output } = await rotate({ secretLifetime: 30 });

    expect(managed()).toHaveLength(1);
    const fresh = await envSecret();
    expect(fresh).not.toBe(old);
    expect(managed()[0]!.keyId).toBe(result.issued!.keyId);
    expect((await readProjectConfig(dir)).apps.remote!.secret!.keyId).toBe(result.issued!.keyId);
    expect(Math.abs(Date.parse(managed()[0]!.endDateTime) - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
    // The secret nobody manages stays.
    expect(
      tenant().store.state.applications.find((a) => a.appId === appId)!.passwordCredentials,
    ).toHaveLength(2);

    expect((await token(fresh).call)?.accessToken).toBeTruthy();
    const refused = token(old);
    await expectMsalEntraError(refused.call, refused.responses, 7000215);

    expect(output).toContain(`New client secret for`);
    expect(output).toContain("in .env as ENTRA_CLIENT_SECRET");
    expect(output).not.toContain(fresh);
    expect(output).not.toContain(old);
  });

  it("--show-secret prints the new value once", async () => {
    const { stdout } = await rotate({ showSecret: true });
    const value = await envSecret();
    expect(stdout.split(value)).toHaveLength(2);
    expect(managed()).toHaveLength(1);
  });

  it("a rotation killed after the add converges on the next run without leaving two managed secrets", async () => {
    // Killed after Graph added the secret, before .env was written: the value is lost.
    await addPassword("mcp-entra remote");
    expect(managed()).toHaveLength(2);
    await rotate();
    expect(managed()).toHaveLength(1);
    expect(managed()[0]!.keyId).toBe((await readProjectConfig(dir)).apps.remote!.secret!.keyId);

    // Killed after .env and mcp-entra.json were written, before the old secret was removed.
    const added = await addPassword("mcp-entra remote");
    await updateEnvFile(join(dir, ".env"), { ENTRA_CLIENT_SECRET: added.secretText });
    const config = await readProjectConfig(dir);
    config.apps.remote!.secret = { keyId: added.keyId, hint: added.hint, endDateTime: added.endDateTime };
    await writeProjectConfig(dir, config);
    expect(managed()).toHaveLength(2);
    await rotate();
    expect(managed()).toHaveLength(1);
    expect((await token(await envSecret()).call)?.accessToken).toBeTruthy();
  });

  it("--dry-run plans the add and the removal and changes nothing", async () => {
    const before = await readFile(join(dir, ".env"), "utf8");
    tenant().clearRequestLog();
    const { result } = await rotate({ dryRun: true });
    expect(tenant().requestLog({ kind: "graph", writesOnly: true })).toEqual([]);
    expect(result.writes.map((w) => w.purpose)).toEqual([
      "add a client secret",
      "remove a client secret mcp-entra no longer uses",
    ]);
    expect(await readFile(join(dir, ".env"), "utf8")).toBe(before);
  });

  it("bad input is a usage error naming the flag; a registration without a secret has none to rotate", async () => {
    await expect(rotate({ secretLifetime: "0" })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining("--secret-lifetime"),
    });
    const localDir = await tempDir("mcp-entra-local-");
    const local = projectCommands(tenant, () => ({ home, dir: localDir }));
    await local.register({ preset: "local" });
    await expect(local.run(runSecretRotate)).rejects.toMatchObject({
      exitCode: 2,
      code: "NO_SECRET_TO_ROTATE",
    });
  });
});
