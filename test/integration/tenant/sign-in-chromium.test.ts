import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { PublicClientApplication } from "@azure/msal-node";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { msalConfiguration } from "../../../src/entra/msal-config.js";
import { DEFAULT_TEST_PASSWORD } from "../../../src/tenant/index.js";
import { tempDir, useDevTenant } from "../../helpers/dev-tenant.js";
import { addApi, addClient, testUser, verifyToken } from "../../helpers/sign-in-fixtures.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const title = hasChromium
  ? "the sign-in and consent pages in headless Chromium"
  : `the sign-in and consent pages in headless Chromium — SKIPPED: ${CHROMIUM} is not installed (apt-get install -y chromium libnss3-tools)`;

/**
 * Chromium trusts the dev tenant the way a developer's browser would: the CA goes into the NSS
 * database of a throw-away HOME ($HOME/.pki/nssdb is where Chromium on Linux reads user trust).
 * Certificate checks stay on.
 */
async function trustingHome(caFile: string): Promise<string> {
  const home = await tempDir("mcp-entra-chromium-home-");
  const db = `sql:${join(home, ".pki", "nssdb")}`;
  await mkdir(join(home, ".pki", "nssdb"), { recursive: true });
  execFileSync("certutil", ["-N", "-d", db, "--empty-password"]);
  execFileSync("certutil", ["-A", "-d", db, "-n", "mcp-entra dev tenant CA", "-t", "C,,", "-i", caFile]);
  return home;
}

describe.skipIf(!hasChromium)(title, () => {
  const tenant = useDevTenant();
  let home: string;
  let browser: BrowserContext;

  beforeAll(async () => {
    home = await trustingHome(tenant().caFile);
    browser = await chromium.launchPersistentContext(join(home, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-quic",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
      ],
      env: { ...process.env, HOME: home },
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("msal acquireTokenInteractive: type user and password, accept consent, form_post back to msal", async () => {
    const t = tenant();
    const api = await addApi(t);
    const client = await addClient(t, { publicClient: ["http://localhost"], name: "Chromium test client" });
    const pca = new PublicClientApplication(
      msalConfiguration({ authority: t.urls.authority, caPems: [t.caPem] }, { clientId: client.app.appId }),
    );
    const user = testUser(t, "alex");
    const page = await browser.newPage();
    const cspViolations: string[] = [];
    page.on("console", (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    const seen: Record<string, string> = {};

    const result = await pca.acquireTokenInteractive({
      scopes: [api.scope],
      successTemplate: "<p id='done'>signed in</p>",
      openBrowser: async (url) => {
        await page.goto(url);
        seen.banner = (await page.locator(".banner").textContent()) ?? "";
        seen.signIn = (await page.locator("main").getAttribute("data-step")) ?? "";
        await page.fill("input[name=username]", user.userPrincipalName);
        await page.fill("input[name=password]", DEFAULT_TEST_PASSWORD);
        await page.click("form[data-form=credentials] button[type=submit]");
        await page.waitForSelector("main[data-step=consent]");
        seen.permission = (await page.locator("li[data-scope=access_as_user] strong").textContent()) ?? "";
        await page.click("button[value=accept]");
        // The form_post page submits itself to msal's loopback server, which answers with our template.
        await page.waitForSelector("#done");
        seen.final = page.url();
      },
    });

    expect(seen.banner).toContain("for development only");
    expect(seen.signIn).toBe("sign-in");
    expect(seen.permission).toBe("access_as_user (user text)");
    expect(seen.final).toMatch(/^http:\/\/localhost:\d+\/$/);
    expect(cspViolations).toEqual([]);
    const claims = await verifyToken(t, result.accessToken, api.app.appId);
    expect(claims).toMatchObject({ oid: user.id, scp: "access_as_user", azp: client.app.appId });

    // The browser session cookie signs the user in silently the second time.
    const again = await pca.acquireTokenInteractive({
      scopes: [api.scope],
      prompt: "none",
      successTemplate: "<p id='done'>signed in</p>",
      openBrowser: async (url) => {
        await page.goto(url);
        await page.waitForSelector("#done");
      },
    });
    expect(again.account?.username).toBe(user.userPrincipalName);
    await page.close();
  });

  it("a page of another origin may call discovery, the keys and the token endpoint (CORS), and not Graph", async () => {
    const t = tenant();
    const site = createServer((_req, res) => res.end("<!doctype html><title>spa</title>"));
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    const page = await browser.newPage();
    try {
      await page.goto(`http://localhost:${(site.address() as AddressInfo).port}/`);
      const seen = await page.evaluate(
        async ({ authority, graph }) => {
          const read = async (url: string, init?: RequestInit) => {
            try {
              const response = await fetch(url, init);
              return { status: response.status, body: await response.json() };
            } catch (error) {
              return { error: String(error) };
            }
          };
          const discovery = await read(`${authority}/v2.0/.well-known/openid-configuration`);
          const { jwks_uri, token_endpoint } = discovery.body as Record<string, string>;
          const keys = await read(jwks_uri!);
          const token = await read(token_endpoint!, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "grant_type=authorization_code&code=x&client_id=00000000-0000-0000-0000-000000000001",
          });
          return {
            discovery: discovery.status,
            keys: keys.body,
            token: token.body,
            graph: await read(graph),
          };
        },
        { authority: t.urls.authority, graph: `${t.url}/v1.0/organization` },
      );
      expect(seen.discovery).toBe(200);
      expect((seen.keys as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
      expect((seen.token as { error_codes: number[] }).error_codes).toEqual([700016]);
      expect(seen.graph).toEqual({ error: expect.stringContaining("Failed to fetch") });
    } finally {
      await page.close();
      site.close();
    }
  });
});
