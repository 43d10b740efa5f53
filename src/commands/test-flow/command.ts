import { type Command, Option } from "commander";
import { exitCodeAction } from "../exit-code.js";
import { uiFor } from "../ui-for.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `mcp-entra test-flow <server-url>` or `--stdio "<command>"`: the built-in MCP client, for people and CI. */
export function registerTestFlowCommand(program: Command): void {
  program
    .command("test-flow")
    .description(
      "sign in to an MCP server (by URL, or --stdio: started here) as a spec-conformant client of MCP 2026-07-28 and 2025-11-25, then open a session, list and call a tool",
    )
    .argument("[server-url]", "the MCP server's URL (Streamable HTTP); or --stdio")
    .option(
      "--stdio <command>",
      "start a local MCP server with this command (no shell) and test it over stdio",
    )
    .option("--cwd <dir>", "the folder --stdio starts the server in (default: the current one)")
    .addOption(
      new Option("--auth <method>", "sign-in method").choices([
        "browser",
        "headless",
        "device-code",
        "client-credentials",
      ]),
    )
    .option("--token-file <file>", "use the access token in this file instead of signing in")
    .option("--client-id <id>", "pre-registered client id (env MCP_CLIENT_ID)")
    .option("--client-secret <secret>", "its secret (env MCP_CLIENT_SECRET; prefer the env variable)")
    .addOption(
      new Option(
        "--token-endpoint-auth-method <method>",
        "how the client sends its secret, as registered (default: basic when the server allows it)",
      ).choices(["client_secret_basic", "client_secret_post"]),
    )
    .option("--client-metadata-url <url>", "https URL of a Client ID Metadata Document to use as client_id")
    .option("--certificate-file <pem>", "client certificate and key for --auth client-credentials (Entra)")
    .option(
      "--private-key-file <pem>",
      "private key (RSA or P-256) for --auth client-credentials with private_key_jwt (other authorization servers)",
    )
    .option(
      "--federated-token-file <file>",
      "federated token (e.g. GitHub Actions OIDC) for --auth client-credentials (Entra: client assertion; others: jwt-bearer grant)",
    )
    .option(
      "--scope <scopes>",
      "scopes to ask for (default: the challenge's, else the server's scopes_supported)",
    )
    .option("--tool <name>", "tool to call (default: the first without required arguments)")
    .option("--args <json>", "arguments for --tool, as a JSON object")
    .option("--fresh", "ignore stored tokens and registrations")
    .option("--probe", "also run security checks against the server (bad, expired, misplaced tokens)")
    .addOption(
      new Option("--protocol <revision>", "MCP revision: auto (2026-07-28, else 2025-11-25), or one of them")
        .choices(["auto", "2026-07-28", "2025-11-25"])
        .default("auto"),
    )
    .option("--require-auth", "fail when the server never asks for a token")
    .option(
      "--strict",
      "refuse what the spec refuses, Entra's missing PKCE advertisement too; implies --require-auth",
    )
    .option("--no-resource", "do not send the resource parameter (for Entra apps that cannot accept it yet)")
    .option(
      "--ca-file <pem>",
      "extra CA certificate to trust for the server and authorization server",
      collect,
    )
    .option("--timeout <seconds>", "give up after this many seconds (default 120)")
    .option(
      "--propagation-wait <seconds>",
      "client credentials: retry while Entra has not propagated a new secret or grant (default 60; 0: no retry)",
    )
    .option("--junit <file>", "also write the report as JUnit XML")
    .action(
      exitCodeAction(async (command, serverUrl: string | undefined) => {
        const { useJitlessZod } = await import("../../core/short-lived-zod.js");
        await useJitlessZod();
        const { runTestFlowCommand } = await import("./run.js");
        return runTestFlowCommand({ ...command.optsWithGlobals(), serverUrl }, uiFor(command));
      }),
    );
}
