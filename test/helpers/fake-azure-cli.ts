import { chmod, readFile, writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { PublicClientApplication } from "@azure/msal-node";
import { msalConfiguration } from "../../src/entra/msal-config.js";
import { REGISTER_GRAPH_SCOPES } from "../../src/entra/tenant-target.js";
import { AZURE_CLI_CLIENT_ID } from "../../src/entra/well-known.js";
import { tempDir } from "./dev-tenant.js";
import { SignInDriver } from "./sign-in-driver.js";

/**
 * An `az` stand-in, first on PATH: the Azure CLI cannot run here (it is Python and signs in to
 * Microsoft's own cloud), so this is the one thing mocked. Signed in, it answers `az account
 * get-access-token` as the Azure CLI does, with a Graph token the dev tenant issued to the Azure
 * CLI's client id for `user` (real msal-node, device code); signed out, it fails as `az` does.
 */
export interface FakeAzureCli {
  /** PATH with the stand-in first. */
  env: { PATH: string };
  /** The argument lists it was called with, one line each. */
  calls(): Promise<string>;
}

export async function fakeAzureCli(
  tenant: { url: string; tenantId: string; caPem: string } | undefined,
  user?: string,
): Promise<FakeAzureCli> {
  const bin = await tempDir("mcp-entra-fake-az-");
  const log = join(bin, "calls.log");
  await writeFile(log, "");
  let answer = `echo "ERROR: Please run 'az login' to setup account." >&2\nexit 1\n`;
  if (tenant && user) {
    const pca = new PublicClientApplication(
      msalConfiguration(
        { authority: `${tenant.url}/${tenant.tenantId}`, caPems: [tenant.caPem] },
        { clientId: AZURE_CLI_CLIENT_ID },
      ),
    );
    const driver = new SignInDriver({ caPem: tenant.caPem, user });
    let approval: Promise<unknown> | undefined;
    const token = await pca.acquireTokenByDeviceCode({
      scopes: REGISTER_GRAPH_SCOPES,
      deviceCodeCallback: (response) => {
        approval = driver.approveDeviceCode(response.verificationUri, response.userCode);
      },
    });
    await approval;
    await writeFile(
      join(bin, "token.json"),
      JSON.stringify({
        accessToken: token!.accessToken,
        expiresOn: token!.expiresOn!.toISOString(),
        expires_on: Math.floor(token!.expiresOn!.getTime() / 1000),
        subscription: "00000000-0000-0000-0000-000000000000",
        tenant: tenant.tenantId,
        tokenType: "Bearer",
      }),
    );
    answer = `cat "${join(bin, "token.json")}"\n`;
  }
  const az = join(bin, "az");
  await writeFile(az, `#!/bin/sh\necho "$@" >> "${log}"\n${answer}`);
  await chmod(az, 0o755);
  return {
    env: { PATH: `${bin}${delimiter}${process.env.PATH}` },
    calls: () => readFile(log, "utf8"),
  };
}
