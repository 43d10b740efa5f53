import type { Tool } from "@modelcontextprotocol/client";
import type { FlowState } from "../flow-state.js";
import type { ToolListing } from "../mcp-client/mcp-session.js";
import { withAuthorization } from "../reauthorize.js";
import type { StepContext } from "../report/report.js";

/** Step 8: tools/list (every page), re-authorized when the server asks. */
export async function listStep(state: FlowState): Promise<Tool[]> {
  return withAuthorization(state, "tools-list", async (step) => {
    const listing = await state.session.listTools();
    recordToolsList(step, listing);
    return listing.tools;
  });
}

/** What the tools/list step records, whatever the transport. */
export function recordToolsList(step: StepContext, listing: ToolListing): void {
  const { tools, skipped } = listing;
  step.evidence("count", tools.length);
  step.evidence(
    "tools",
    tools.slice(0, 50).map((tool) => tool.name),
  );
  if (skipped.length > 0) {
    step.evidence(
      "left out",
      skipped.map((tool) => `${tool.name}: ${tool.reason}`),
    );
    step.note(
      `${skipped.length} tool${skipped.length === 1 ? " was" : "s were"} left out: invalid x-mcp-header declarations make a tool uncallable over Streamable HTTP (2026-07-28); the other tools stay callable.`,
    );
  }
  step.summary(
    `${tools.length} tool${tools.length === 1 ? "" : "s"}${skipped.length ? ` (${skipped.length} left out)` : ""}`,
  );
}
