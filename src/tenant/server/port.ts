import { createServer } from "node:net";
import { invalidFlag, UsageError } from "../../core/errors.js";

/** Fixed by default because msal keys its token cache by host:port. */
export const DEFAULT_TENANT_PORT = 44331;
export const TENANT_PORT_ENV = "MCP_ENTRA_TENANT_PORT";

export interface ResolvedPort {
  port: number;
  /** Chosen by --port or the environment, rather than the default. */
  explicit: boolean;
}

/** The dev tenant's port: `--port`, else MCP_ENTRA_TENANT_PORT, else 44331. */
export function resolveTenantPort(
  flag: number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedPort {
  if (flag !== undefined) return { port: flag, explicit: true };
  const fromEnv = env[TENANT_PORT_ENV]?.trim();
  if (!fromEnv) return { port: DEFAULT_TENANT_PORT, explicit: false };
  const port = Number(fromEnv);
  if (!isPort(port)) {
    throw invalidFlag(
      TENANT_PORT_ENV,
      `"${fromEnv}" is not a port number`,
      "Set it to a number from 0 to 65535, or unset it.",
    );
  }
  return { port, explicit: true };
}

export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 65535;
}

export function portInUseError(port: number): UsageError {
  return new UsageError("TENANT_PORT_IN_USE", `Port ${port} is already in use on 127.0.0.1.`, {
    suggestion: `Stop what uses it, or choose another port with --port <n> (or ${TENANT_PORT_ENV}).`,
  });
}

/** Fails with the port-in-use error when something already listens on 127.0.0.1:port. */
export function assertPortFree(port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? portInUseError(port) : error);
    });
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}
