import { invalidFlag, UsageError } from "../../../core/errors.js";
import type { ProjectConfig } from "../../../core/project-config.js";
import type { Ui } from "../../../core/ui.js";

/**
 * Which registration of mcp-entra.json a lifecycle command works on: the one --key names, else the
 * one of --preset, else the only one; with several, a person picks on a terminal, and without one it
 * is a usage error naming the flag.
 */
export async function pickRegistration(
  config: ProjectConfig,
  wanted: { key?: string; preset?: string },
  ui: Ui,
  configPath: string,
): Promise<string> {
  const keys = Object.keys(config.apps);
  if (keys.length === 0) {
    throw new UsageError("NO_REGISTRATION", `${configPath} records no app registration.`, {
      suggestion: "run `mcp-entra register` first, or pass --dir <the project folder>.",
    });
  }
  if (wanted.key) {
    if (config.apps[wanted.key]) return wanted.key;
    throw invalidFlag(
      "--key",
      `mcp-entra.json has no registration "${wanted.key}" (it has ${keys.join(", ")})`,
      `pass --key ${keys.join(" or --key ")}`,
    );
  }
  const candidates = wanted.preset ? keys.filter((key) => config.apps[key]!.preset === wanted.preset) : keys;
  if (candidates.length === 0) {
    const presets = [...new Set(keys.map((key) => config.apps[key]!.preset))];
    throw invalidFlag(
      "--preset",
      `mcp-entra.json has no ${wanted.preset} registration (it has ${presets.join(", ")})`,
      `pass --preset ${presets.join(" or --preset ")}`,
    );
  }
  if (candidates.length === 1) return candidates[0]!;
  const presets = candidates.map((key) => config.apps[key]!.preset);
  const byPreset = !wanted.preset && new Set(presets).size === candidates.length;
  return ui.ask<string>({
    kind: "select",
    message: "Which registration?",
    flag: byPreset ? `--preset <${presets.join("|")}>` : `--key <${candidates.join("|")}>`,
    choices: candidates.map((key) => ({ name: `${key}: ${config.apps[key]!.displayName}`, value: key })),
  });
}
