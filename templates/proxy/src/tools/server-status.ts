import { type ToolDefinition, textResult } from "./tool.js";

/** An example administrative tool: only users or apps assigned the Tools.Admin app role may call it. */
export const serverStatus: ToolDefinition = {
  name: "server_status",
  title: "Server status",
  description: "Returns the server's uptime, memory use and Node.js version. Requires the Tools.Admin role.",
  access: { roles: ["Tools.Admin"] },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run() {
    const memory = process.memoryUsage();
    return textResult({
      uptimeSeconds: Math.round(process.uptime()),
      rssMegabytes: Math.round(memory.rss / 1024 / 1024),
      heapUsedMegabytes: Math.round(memory.heapUsed / 1024 / 1024),
      node: process.version,
    });
  },
};
