import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { parseTestFlowOptions } from "../../../src/test-flow/options.js";
import { formatCommandLine, splitCommandLine } from "../../../src/test-flow/stdio/stdio-options.js";

/** The usage error a parse throws (exit 2), as `message` and `suggestion`. */
function usageError(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): UsageError {
  try {
    parseTestFlowOptions(raw, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error(`No usage error for ${JSON.stringify(raw)}`);
}

describe("test-flow options: a server URL or --stdio", () => {
  it("--stdio: the command's words (no shell), the folder, and the flags both transports share", () => {
    const options = parseTestFlowOptions(
      {
        stdio: `node "dist/my server.js" --flag='a b'`,
        tool: "whoami",
        args: '{"x":1}',
        timeout: "30",
        protocol: "2025-11-25",
      },
      {},
    );
    expect(options).toEqual({
      transport: "stdio",
      commandLine: `node "dist/my server.js" --flag='a b'`,
      command: "node",
      commandArgs: ["dist/my server.js", "--flag=a b"],
      cwd: resolve("."),
      tool: "whoami",
      args: { x: 1 },
      timeout: 30,
      protocol: "2025-11-25",
      json: false,
    });
  });

  it("--cwd is resolved; a folder that does not exist is a usage error naming --cwd", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mcp-entra-cwd-"));
    try {
      expect(parseTestFlowOptions({ stdio: "node main.js", cwd: dir }, {})).toMatchObject({ cwd: dir });
      expect(usageError({ stdio: "node main.js", cwd: join(dir, "missing") }).message).toMatch(/^--cwd: /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ["auth", "headless", "--auth"],
    ["tokenFile", "token.txt", "--token-file"],
    ["clientId", "app", "--client-id"],
    ["clientSecret", "s3cret", "--client-secret"],
    ["clientMetadataUrl", "https://example.com/client.json", "--client-metadata-url"],
    ["certificateFile", "cert.pem", "--certificate-file"],
    ["federatedTokenFile", "oidc.jwt", "--federated-token-file"],
    ["scope", "User.Read", "--scope"],
    ["fresh", true, "--fresh"],
    ["probe", true, "--probe"],
    ["strict", true, "--strict"],
    ["caFile", ["ca.pem"], "--ca-file"],
    ["resource", false, "--no-resource"],
  ])("--stdio with %s: a usage error naming %s", (key, value, flag) => {
    const error = usageError({ stdio: "node dist/main.js", [key]: value });
    expect(error.message).toBe(`${flag}: does not apply to --stdio`);
    expect(error.suggestion).toBeTruthy();
  });

  it("the defaults commander passes (resource true, no CA files) are not flags given", () => {
    expect(
      parseTestFlowOptions({ stdio: "node dist/main.js", resource: true, caFile: [], fresh: false }, {}),
    ).toMatchObject({ transport: "stdio" });
  });

  it("MCP_CLIENT_ID and MCP_CLIENT_SECRET in the environment do not count against --stdio", () => {
    const env = { MCP_CLIENT_ID: "ci-app", MCP_CLIENT_SECRET: "ci-secret" };
    const options = parseTestFlowOptions({ stdio: "node dist/main.js" }, env);
    expect(options).toMatchObject({ transport: "stdio" });
    expect(JSON.stringify(options)).not.toContain("ci-secret");
  });

  it("neither a URL nor --stdio: a usage error naming <server-url> and --stdio", () => {
    const error = usageError({});
    expect(error.message).toBe("<server-url>: is missing");
    expect(error.suggestion).toContain("--stdio");
  });

  it("both a URL and --stdio: a usage error naming --stdio", () => {
    expect(usageError({ serverUrl: "http://localhost:3000/mcp", stdio: "node dist/main.js" }).message).toBe(
      "--stdio: cannot be combined with a server URL",
    );
  });

  it("--cwd without --stdio, --args without --tool, an empty command, an open quote: usage errors", () => {
    expect(usageError({ serverUrl: "http://localhost:3000/mcp", cwd: "." }).message).toBe(
      "--cwd: needs --stdio",
    );
    expect(usageError({ stdio: "node dist/main.js", args: "{}" }).message).toBe("--args: needs --tool");
    expect(usageError({ stdio: "  " }).message).toMatch(/^--stdio: needs the command/);
    expect(usageError({ stdio: `node "dist/main.js` }).message).toMatch(
      /^--stdio: the command has an unclosed " quote/,
    );
  });

  it("the 2026-07-28 flags: --protocol, --require-auth (and --strict), the app-only credentials", () => {
    const url = "http://localhost:3000/mcp";
    expect(parseTestFlowOptions({ serverUrl: url }, {})).toMatchObject({
      protocol: "auto",
      requireAuth: false,
    });
    expect(parseTestFlowOptions({ serverUrl: url, strict: true }, {})).toMatchObject({ requireAuth: true });
    expect(usageError({ serverUrl: url, protocol: "2024-01-01" }).message).toMatch(
      /^--protocol: must be one of/,
    );
    expect(usageError({ stdio: "node x.js", requireAuth: true }).message).toBe(
      "--require-auth: does not apply to --stdio",
    );
    // A workload identity token alone is enough for the jwt-bearer grant; a secret needs its client id.
    expect(
      parseTestFlowOptions({ serverUrl: url, auth: "client-credentials", federatedTokenFile: "t" }, {}),
    ).toMatchObject({ federatedTokenFile: "t", clientId: undefined });
    expect(usageError({ serverUrl: url, auth: "client-credentials", clientSecret: "s" }).message).toMatch(
      /^--client-id: is required/,
    );
    expect(usageError({ serverUrl: url, privateKeyFile: "k.pem" }).message).toMatch(
      /^--private-key-file: is a client credential/,
    );
    expect(
      usageError({
        serverUrl: url,
        clientId: "c",
        clientSecret: "s",
        tokenEndpointAuthMethod: "private_key_jwt",
      }).message,
    ).toMatch(/^--token-endpoint-auth-method: must be one of/);
  });

  it("a server URL still gives the Streamable HTTP options", () => {
    expect(parseTestFlowOptions({ serverUrl: "http://localhost:3000/mcp" }, {})).toMatchObject({
      transport: "streamable-http",
      serverUrl: "http://localhost:3000/mcp",
      resource: true,
      timeout: 120,
    });
  });
});

describe("command lines", () => {
  it("splits like a POSIX shell quotes, and nothing more: no variables, globs or pipes", () => {
    expect(splitCommandLine(`npx tsx src/main.ts $HOME *.ts | cat`)).toEqual([
      "npx",
      "tsx",
      "src/main.ts",
      "$HOME",
      "*.ts",
      "|",
      "cat",
    ]);
    expect(splitCommandLine(`a\\ b "c \\"d\\" \\\\" 'e\\f' ""`)).toEqual(["a b", 'c "d" \\', "e\\f", ""]);
  });

  it("formats words back into a line that splits into the same words", () => {
    const words = ["node", "dist/my server.js", "it's", ""];
    expect(splitCommandLine(formatCommandLine(words))).toEqual(words);
  });
});
