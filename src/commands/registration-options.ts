import { type Command, Option } from "commander";

/** The options every lifecycle command takes to find its registration and tenant. */
export function withRegistrationOptions(command: Command): Command {
  return command
    .option("--dir <path>", "the project folder (where mcp-entra.json and .env are)", ".")
    .addOption(
      new Option("--preset <preset>", "the registration, when mcp-entra.json has several").choices([
        "local",
        "remote",
        "proxy",
        "ci",
      ]),
    )
    .option("--key <key>", "the registration's key in mcp-entra.json (default: the only one)")
    .option("--tenant <tenant>", "dev, a tenant id or a domain (default: the tenant mcp-entra.json records)");
}
