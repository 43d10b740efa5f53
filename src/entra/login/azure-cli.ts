import { execFile } from "node:child_process";
import { OperationError, UsageError } from "../../core/errors.js";

export interface AzureCliToken {
  accessToken: string;
  expiresOn: Date;
  tenantId: string;
}

/**
 * Reuses the Azure CLI's sign-in: `az account get-access-token --resource-type ms-graph`. The Azure
 * CLI keeps its own cache; mcp-entra stores nothing for this method.
 */
export function azureCliGraphToken(tenant?: string): Promise<AzureCliToken> {
  const args = ["account", "get-access-token", "--resource-type", "ms-graph", "--output", "json"];
  if (tenant) args.push("--tenant", tenant);
  return new Promise((resolve, reject) => {
    execFile("az", args, { timeout: 60_000, windowsHide: true }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(
          new UsageError("AZURE_CLI_MISSING", "--method azure-cli: the Azure CLI (az) is not installed.", {
            suggestion: "install the Azure CLI and run `az login`, or choose --method device-code.",
          }),
        );
        return;
      }
      if (error) {
        const reason = stderr.split("\n").find((line) => line.trim()) ?? error.message;
        reject(
          new OperationError(
            "AZURE_CLI_FAILED",
            `The Azure CLI could not get a Graph token: ${reason.trim()}`,
            {
              suggestion: `run \`az login${tenant ? ` --tenant ${tenant}` : ""}\`, then try again.`,
            },
          ),
        );
        return;
      }
      try {
        const parsed = JSON.parse(stdout) as {
          accessToken: string;
          expiresOn?: string;
          expires_on?: number;
          tenant: string;
        };
        const expiresOn = parsed.expires_on
          ? new Date(parsed.expires_on * 1000)
          : new Date(parsed.expiresOn ?? Date.now());
        resolve({ accessToken: parsed.accessToken, expiresOn, tenantId: parsed.tenant });
      } catch (parseError) {
        reject(
          new OperationError("AZURE_CLI_FAILED", "The Azure CLI printed something that is not a token.", {
            cause: parseError,
          }),
        );
      }
    });
  });
}
