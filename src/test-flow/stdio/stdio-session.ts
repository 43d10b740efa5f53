import type { Readable } from "node:stream";
import type { Transport } from "@modelcontextprotocol/client";
import type { StdioServerParameters } from "@modelcontextprotocol/client/stdio";
import { OperationError } from "../../core/errors.js";
import { McpClientSession, type SessionOptions } from "../mcp-client/mcp-session.js";
import type { ServerStderr } from "./server-stderr.js";

export interface StdioCommand {
  command: string;
  args: string[];
  cwd: string;
  /** The server's environment (test-flow's own, by default). */
  env: NodeJS.ProcessEnv;
}

/** The SDK's request timeout (SdkErrorCode.RequestTimeout). */
const REQUEST_TIMEOUT = "REQUEST_TIMEOUT";

type StartedTransport = Transport & { readonly pid: number | null; readonly stderr: unknown };

/**
 * MCP over stdio with the SDK's Client and StdioClientTransport: `spawn()` starts the process (its own
 * report step), `connect()` then opens the session over the started transport (as a subclass of the
 * SDK's transport, the era probe runs in place, not on a sibling process). The server's stderr goes to
 * `stderr`; when the process goes away, pending requests end at once instead of at --timeout.
 */
export class StdioMcpSession extends McpClientSession {
  private transport?: StartedTransport;
  private exited?: Promise<never>;
  private hasExited = false;

  constructor(
    base: SessionOptions,
    private readonly spec: StdioCommand,
    private readonly stderr: ServerStderr,
  ) {
    super(base);
  }

  /** Starts the server process; resolves once it runs (or fails to start: not found, not executable). */
  async spawn(): Promise<{ pid?: number }> {
    const transport = await startOnceTransport({
      command: this.spec.command,
      args: this.spec.args,
      cwd: this.spec.cwd,
      env: stringValues(this.spec.env),
      stderr: "pipe",
    });
    this.transport = transport;
    if (transport.stderr) this.stderr.attach(transport.stderr as Readable);
    this.exited = new Promise<never>((_resolve, reject) => {
      // The SDK client chains its own close handler after this one.
      transport.onclose = () => {
        this.hasExited = true;
        reject(new OperationError("SERVER_EXITED", "The server exited (its stdout closed)."));
      };
    });
    this.exited.catch(() => undefined);
    try {
      await transport.start();
    } catch (error) {
      throw new OperationError(
        "SPAWN_FAILED",
        `Cannot start ${this.spec.command}: ${(error as Error).message}`,
        {
          cause: error,
          suggestion: "Check the command (is it on PATH?), its arguments and --cwd.",
        },
      );
    }
    return { pid: transport.pid ?? undefined };
  }

  protected override get stdio(): boolean {
    return true;
  }

  protected async openTransport(): Promise<Transport> {
    if (!this.transport) throw new Error("The server has not been started");
    return this.transport;
  }

  /**
   * Ends a request at once when the server process goes away, and says why a request failed in words:
   * the server exited, or --timeout struck.
   */
  protected override async guard<T>(request: Promise<T>, what: string): Promise<T> {
    try {
      return await (this.exited ? Promise.race([request, this.exited]) : request);
    } catch (error) {
      if (this.hasExited) {
        throw new OperationError("SERVER_EXITED", `The server exited during ${what} (its stdout closed).`, {
          cause: error,
          suggestion:
            "Read the server's stderr in the evidence: it usually says why (configuration, a crash).",
        });
      }
      // The deadline's abort, or the SDK's own request timeout (McpError RequestTimeout) just before it.
      if (this.base.signal.aborted || (error as { code?: unknown })?.code === REQUEST_TIMEOUT) {
        throw new OperationError(
          "TIMEOUT",
          `The server did not answer ${what} within --timeout (${this.base.timeoutMs / 1000} s).`,
          { cause: error, suggestion: "Raise --timeout, or read the server's stderr in the evidence." },
        );
      }
      throw error;
    }
  }

  override async close(): Promise<void> {
    await super.close();
    // Ends stdin, then SIGTERM and SIGKILL if the server does not stop (the SDK's way).
    await this.transport?.close().catch(() => undefined);
  }
}

/** The SDK's StdioClientTransport, whose start() may be called again (the SDK client calls it in connect). */
async function startOnceTransport(params: StdioServerParameters): Promise<StartedTransport> {
  const { StdioClientTransport } = await import("@modelcontextprotocol/client/stdio");
  class StartOnce extends StdioClientTransport {
    private starting?: Promise<void>;
    protocolVersion?: string;
    override start(): Promise<void> {
      this.starting ??= super.start();
      return this.starting;
    }
    /** The SDK client tells HTTP transports the negotiated version; kept here for the report. */
    setProtocolVersion(version: string): void {
      this.protocolVersion = version;
    }
  }
  return new StartOnce(params);
}

function stringValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}
