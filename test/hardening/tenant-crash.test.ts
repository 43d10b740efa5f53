import { type ChildProcess, spawn } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FetchLike, trustedFetch } from "../../src/entra/trust.js";
import type { TenantState } from "../../src/tenant/directory/tenant-state.js";
import { startDevTenant } from "../../src/tenant/index.js";
import { tempDir } from "../helpers/dev-tenant.js";
import { assertBuilt, CLI, freePort } from "../helpers/run-cli.js";
import { addApi, addClient, pkce } from "../helpers/sign-in-fixtures.js";
import { hardeningSeed, seededRandom } from "./seeded-random.js";

/**
 * kill -9 of a real `mcp-entra tenant start` process while it serves concurrent writes (Graph
 * upserts by uniqueName, refresh token chains), then a restart: the state is readable, every
 * acknowledged write is there, and running the writes again converges (no duplicate uniqueName).
 */

const ROUNDS = 3;
const NAMES = 24;
const CHAINS = 6;
const REDIRECT = "http://localhost:3000";

interface Fixture {
  graphApp: { appId: string; secret: string };
  clientId: string;
  scope: string;
}

interface Chain {
  token: string;
  inFlight: boolean;
}

describe("crash safety of a dev tenant process", () => {
  let home: string;
  let dir: string;
  let fixture: Fixture;
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    assertBuilt();
    home = await tempDir("mcp-entra-crash-");
    dir = join(home, "dev-tenant");
    // Apps first, in process: a Graph admin app, a public client and an API.
    const tenant = await startDevTenant({ home, port: 0 });
    try {
      const graphApp = await tenant.createGraphAdminApp();
      const api = await addApi(tenant);
      const client = await addClient(tenant, { publicClient: [REDIRECT] });
      fixture = { graphApp, clientId: client.app.appId, scope: `${api.scope} openid offline_access` };
    } finally {
      await tenant.stop();
    }
  });
  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    if (home) await rm(home, { recursive: true, force: true });
  });

  /** `mcp-entra tenant start` in the foreground, on its own port; resolves once it answers. */
  async function startProcess(): Promise<{
    child: ChildProcess;
    url: string;
    tenantId: string;
    fetch: FetchLike;
  }> {
    // Its URLs name the tenant, as clients configured for it do.
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [CLI, "tenant", "start", "--port", String(port), "--auto-approve"],
      {
        env: { ...process.env, MCP_ENTRA_HOME: home, MCP_ENTRA_TENANT_PORT: "", FORCE_COLOR: "0" },
        stdio: "ignore",
      },
    );
    children.add(child);
    child.once("exit", () => children.delete(child));
    const origin = `https://localhost:${port}`;
    const fetchTls = trustedFetch([await readFile(join(dir, "ca.pem"), "utf8")]);
    for (let waited = 0; ; waited += 100) {
      const health = await fetchTls(`${origin}/health`)
        .then((response) => (response.ok ? (response.json() as Promise<{ tenantId: string }>) : undefined))
        .catch(() => undefined);
      if (health) return { child, url: origin, tenantId: health.tenantId, fetch: fetchTls };
      if (child.exitCode !== null || waited > 30_000)
        throw new Error(`the tenant did not start (${child.exitCode})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  function kill9(child: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }

  /** Raw protocol calls against one tenant process. */
  function client({ url, tenantId, fetch: fetchTls }: { url: string; tenantId: string; fetch: FetchLike }) {
    const token = async (form: Record<string, string>) => {
      const response = await fetchTls(`${url}/${tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
      });
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    };
    return {
      token,
      async graphToken(): Promise<string> {
        const { body } = await token({
          grant_type: "client_credentials",
          client_id: fixture.graphApp.appId,
          client_secret: fixture.graphApp.secret,
          scope: "https://graph.microsoft.com/.default",
        });
        return body.access_token!;
      },
      /** Upserts an application by uniqueName; resolves with the HTTP status. */
      async upsert(graphToken: string, name: string): Promise<number> {
        const response = await fetchTls(`${url}/v1.0/applications(uniqueName='${name}')`, {
          method: "PATCH",
          headers: {
            authorization: `Bearer ${graphToken}`,
            "content-type": "application/json",
            prefer: "create-if-missing",
          },
          body: JSON.stringify({ displayName: `Crash test ${name}` }),
        });
        await response.arrayBuffer();
        return response.status;
      },
      /** A sign-in (auto-approve): the refresh token. */
      async signIn(): Promise<string> {
        const challenge = pkce();
        const authorize = new URL(`${url}/${tenantId}/oauth2/v2.0/authorize`);
        for (const [name, value] of Object.entries({
          response_type: "code",
          client_id: fixture.clientId,
          redirect_uri: REDIRECT,
          scope: fixture.scope,
          code_challenge: challenge.challenge,
          code_challenge_method: "S256",
        })) {
          authorize.searchParams.set(name, value);
        }
        const redirect = await fetchTls(authorize, { redirect: "manual" });
        const code = new URL(redirect.headers.get("location")!).searchParams.get("code")!;
        const { body } = await token({
          grant_type: "authorization_code",
          client_id: fixture.clientId,
          code,
          redirect_uri: REDIRECT,
          code_verifier: challenge.verifier,
        });
        return body.refresh_token!;
      },
      refresh: (refreshToken: string) =>
        token({ grant_type: "refresh_token", client_id: fixture.clientId, refresh_token: refreshToken }),
    };
  }

  it("keeps every acknowledged write through kill -9, and converges when the writes run again", async () => {
    const seed = hardeningSeed();
    console.log(`tenant crash test: seed ${seed} (replay with HARDENING_SEED=${seed})`);
    const rng = seededRandom(seed);
    const acked = new Set<string>();
    const everyName: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const names = Array.from({ length: NAMES }, (_, i) => `crash-${round}-${i}`);
      everyName.push(...names);
      const running = await startProcess();
      const { child } = running;
      const api = client(running);
      const graphToken = await api.graphToken();
      const chains: Chain[] = await Promise.all(
        Array.from({ length: CHAINS }, async () => ({ token: await api.signIn(), inFlight: false })),
      );
      let killed = false;
      const unexpected: string[] = [];
      const graphWriters = Array.from({ length: 4 }, async (_, w) => {
        for (let i = w; i < names.length && !killed; i += 4) {
          const status = await api.upsert(graphToken, names[i]!).catch(() => 0);
          if (status === 201 || status === 204) acked.add(names[i]!);
          else if (!killed) unexpected.push(`upsert ${names[i]} answered ${status}`);
        }
      });
      const refreshers = chains.map(async (chain) => {
        while (!killed) {
          chain.inFlight = true;
          const answer = await api.refresh(chain.token).catch(() => undefined);
          if (answer?.status === 200) {
            chain.token = answer.body.refresh_token!;
            chain.inFlight = false;
            // Now and then idle, so that some chains are between requests when the kill comes.
            await new Promise((resolve) => setTimeout(resolve, rng.int(40)));
          } else if (!killed) {
            unexpected.push(`refresh answered ${answer?.status}`);
            return;
          }
        }
      });
      // A random moment once some upserts of this round are acknowledged.
      const ackedThisRound = () => names.filter((name) => acked.has(name)).length;
      while (ackedThisRound() < 3 && unexpected.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await new Promise((resolve) => setTimeout(resolve, rng.int(120)));
      killed = true;
      await kill9(child);
      await Promise.all([...graphWriters, ...refreshers]);
      expect(unexpected, `round ${round} (seed ${seed})`).toEqual([]);
      const cut = chains.filter((chain) => chain.inFlight).length;
      console.log(
        `round ${round}: killed with ${ackedThisRound()}/${NAMES} upserts acknowledged, ${cut}/${CHAINS} refreshes in flight`,
      );

      // Readable as it was left, and readable by a tenant that starts on it.
      const left = JSON.parse(await readFile(join(dir, "state.json"), "utf8")) as TenantState;
      for (const name of acked) {
        expect(left.applications.filter((app) => app.uniqueName === name).length, name).toBe(1);
      }
      const restarted = await startProcess();
      try {
        // The killed tenant's temporary files are gone (the new one may be writing runtime.json now).
        const mine = `.${restarted.child.pid}.`;
        expect((await readdir(dir)).filter((name) => name.endsWith(".tmp") && !name.includes(mine))).toEqual(
          [],
        );
        const again = client(restarted);
        // Every refresh token the tenant acknowledged still works, the one of a refresh cut short too:
        // as on Entra, using a refresh token does not revoke it.
        for (const chain of chains) {
          const answer = await again.refresh(chain.token);
          expect(answer.status, JSON.stringify(answer.body.error_codes)).toBe(200);
        }
        // Running every write again (each twice at once) converges: one application per uniqueName.
        const token = await again.graphToken();
        const statuses = await Promise.all(
          names.flatMap((name) => [name, name]).map((name) => again.upsert(token, name)),
        );
        expect(statuses.every((status) => status === 201 || status === 204)).toBe(true);
        for (const name of names) acked.add(name);
      } finally {
        await kill9(restarted.child);
      }
      const state = JSON.parse(await readFile(join(dir, "state.json"), "utf8")) as TenantState;
      for (const name of everyName) {
        expect(state.applications.filter((app) => app.uniqueName === name).length, name).toBe(1);
      }
    }
  }, 240_000);
});
