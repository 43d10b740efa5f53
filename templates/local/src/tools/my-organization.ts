import { graphResult, type ToolDefinition } from "./tool.js";

/**
 * An example of a second Graph tool: the tenant the user signed in to. GET /organization needs no
 * more than the delegated User.Read permission the app already has.
 */
export const myOrganization: ToolDefinition = {
  name: "my_organization",
  title: "My organization",
  description:
    "Returns the Microsoft Entra tenant the signed-in user belongs to: its id, name and verified domains.",
  annotations: { readOnlyHint: true, openWorldHint: true },
  run: (context) => graphResult("my_organization", context, () => context.graph.organization()),
};
