import type { UiOptions } from "../../src/core/ui.js";
import type { LifecycleDeps } from "../../src/entra/registration/lifecycle/registration-context.js";
import { runRegister } from "../../src/entra/registration/run-register.js";
import type { DevTenant } from "../../src/tenant/index.js";
import { captureUi } from "./capture-ui.js";
import { devTarget } from "./dev-target.js";

type Ui = ReturnType<typeof captureUi>["ui"];

/**
 * Runs register and the lifecycle commands in-process against a test's dev tenant, for one project
 * folder: each call gets a fresh captured Ui (no terminal) and returns the result and all output.
 */
export function projectCommands(tenant: () => DevTenant, paths: () => { home: string; dir: string }) {
  const target = async () => devTarget(tenant(), paths().home);
  return {
    register: async (flags: Record<string, unknown> = {}) => {
      const capture = captureUi();
      const result = await runRegister(
        { preset: "remote", dir: paths().dir, ...flags },
        { ui: capture.ui, target },
      );
      return { result, output: capture.all() };
    },
    /** Runs a lifecycle command and, when given, its renderer on the same Ui. */
    run: async <R>(
      command: (raw: Record<string, unknown>, deps: LifecycleDeps) => Promise<R>,
      flags: Record<string, unknown> = {},
      options: {
        render?: (result: R, ui: Ui) => void;
        ui?: Omit<UiOptions, "stdout" | "stderr">;
        /** The command is asked to show a secret (e.g. showSecret): its output may hold it. */
        allowSecrets?: boolean;
      } = {},
    ) => {
      const capture = captureUi(options.ui, { allowSecrets: options.allowSecrets });
      const result = await command({ dir: paths().dir, ...flags }, { ui: capture.ui, target });
      options.render?.(result, capture.ui);
      return { result, output: capture.all(), stdout: capture.stdout() };
    },
  };
}
