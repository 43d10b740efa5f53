import { GraphError } from "../graph/graph-client.js";
import { OnBehalfOfError } from "../graph/on-behalf-of.js";
import { errorResult, type ToolDefinition, textResult } from "./tool.js";

/**
 * The signed-in user as Microsoft Graph knows them. Graph is called with a token obtained on behalf
 * of the user (never with the caller's own token), so only delegated tokens can use this tool.
 */
export const whoami: ToolDefinition = {
  name: "whoami",
  title: "Who am I",
  description: "Returns the signed-in user's Microsoft Graph profile (/me), read on behalf of the user.",
  access: { scopes: ["user_impersonation"], delegatedOnly: true },
  annotations: { readOnlyHint: true, openWorldHint: true },
  async run({ caller, graph, log }) {
    try {
      return textResult(await graph.me(caller));
    } catch (error) {
      if (error instanceof OnBehalfOfError || error instanceof GraphError) {
        log.warn("whoami failed", { caller: caller.objectId, reason: error.message });
        return errorResult(
          error instanceof OnBehalfOfError
            ? `Could not get a Microsoft Graph token on behalf of the user: ${error.message}`
            : error.message,
        );
      }
      throw error;
    }
  },
};
