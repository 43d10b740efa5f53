import { type ToolDefinition, textResult } from "./tool.js";

/** An example tool with no input: callable by signed-in users and by apps (CI) holding Tools.Read. */
export const serverTime: ToolDefinition = {
  name: "server_time",
  title: "Server time",
  description: "Returns the server's current time (ISO 8601, UTC) and time zone.",
  access: { scopes: ["user_impersonation"], roles: ["Tools.Read"] },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run() {
    return textResult({
      now: new Date().toISOString(),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
  },
};
