import { serverStatus } from "./server-status.js";
import { serverTime } from "./server-time.js";
import type { ToolDefinition } from "./tool.js";
import { whoami } from "./whoami.js";

/** Every tool this server offers. Each one declares, in `access`, who may call it. */
export const tools: readonly ToolDefinition[] = [serverTime, whoami, serverStatus];
