import { myOrganization } from "./my-organization.js";
import type { ToolDefinition } from "./tool.js";
import { whoami } from "./whoami.js";

/** Every tool this server offers. Each calls Microsoft Graph as the signed-in user (User.Read). */
export const tools: readonly ToolDefinition[] = [whoami, myOrganization];
