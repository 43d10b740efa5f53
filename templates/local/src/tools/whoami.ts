import { graphResult, type ToolDefinition } from "./tool.js";

/** The signed-in user as Microsoft Graph knows them (GET /me with the user's own token). */
export const whoami: ToolDefinition = {
  name: "whoami",
  title: "Who am I",
  description:
    "Returns the signed-in user's Microsoft Graph profile (/me). Signs the user in with Microsoft Entra ID on first use.",
  annotations: { readOnlyHint: true, openWorldHint: true },
  run: (context) => graphResult("whoami", context, () => context.graph.me()),
};
