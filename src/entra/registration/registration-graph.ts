import type { Ui } from "../../core/ui.js";
import { GraphApi } from "../graph-api.js";
import { createGraphClient } from "../graph-client.js";
import { retryPolicy } from "../graph-retry.js";
import type { TenantTarget } from "../tenant-target.js";

/**
 * Microsoft Graph for the commands that change registrations (register, app, secret): the target's
 * Graph with its token, throttling and replication delay retried (each retry a debug line), and
 * writes only planned when `dryRun`.
 */
export function registrationGraph(
  target: TenantTarget,
  options: { ui: Ui; retry?: Parameters<typeof retryPolicy>[0]; dryRun: boolean },
): GraphApi {
  return new GraphApi(
    createGraphClient({ baseUrl: target.graphBaseUrl, caPems: target.caPems }, () => target.graphToken()),
    retryPolicy({
      onRetry: (event) =>
        options.ui.debug(
          `retry ${event.label} in ${Math.round(event.delayMs)} ms (${event.failure.status} ${event.failure.code})`,
        ),
      ...options.retry,
    }),
    options.dryRun,
  );
}
