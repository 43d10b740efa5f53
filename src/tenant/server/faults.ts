import { UsageError } from "../../core/errors.js";
import type { Clock } from "./clock.js";

/**
 * Fault injection for the dev tenant's Graph subset: the habits of Microsoft Graph that break
 * registration tools in real tenants, on demand and reproducibly (a seeded PRNG decides which
 * request fails). Everything is off by default.
 */
export interface FaultConfig {
  /** Share of Graph requests answered 429 with Retry-After (0–1). */
  throttleRate: number;
  /** Retry-After (seconds) sent with 429 and 503. */
  retryAfterSeconds: number;
  /** Share of Graph requests answered 503 (0–1). */
  unavailableRate: number;
  /** Share of Graph requests answered 504 (0–1). */
  gatewayTimeoutRate: number;
  /** Added to every Graph request (ms). */
  latencyMs: number;
  /** Window after each Graph create during which the new object is not yet visible (ms). */
  replicationMs: number;
  /** Window after `addPassword` during which the token endpoint refuses the new secret (ms). */
  secretPropagationMs: number;
  /** Window after a consent grant during which on-behalf-of and refresh answer AADSTS65001 (ms). */
  consentPropagationMs: number;
  seed: number;
}

export const NO_FAULTS: FaultConfig = {
  throttleRate: 0,
  retryAfterSeconds: 1,
  unavailableRate: 0,
  gatewayTimeoutRate: 0,
  latencyMs: 0,
  replicationMs: 0,
  secretPropagationMs: 0,
  consentPropagationMs: 0,
  seed: 1,
};

/**
 * Entra-like propagation windows (`propagation` alone in a fault spec): a new secret is refused for
 * several seconds after addPassword, and consent takes a few seconds to reach the token endpoint.
 */
export const ENTRA_PROPAGATION = { secretPropagationMs: 10_000, consentPropagationMs: 5_000 } as const;

export type FaultKind = "429" | "503" | "504" | "replication";

const SPEC_KEYS: Record<string, { field: keyof FaultConfig; kind: "rate" | "count" }> = {
  "429": { field: "throttleRate", kind: "rate" },
  "503": { field: "unavailableRate", kind: "rate" },
  "504": { field: "gatewayTimeoutRate", kind: "rate" },
  latency: { field: "latencyMs", kind: "count" },
  replication: { field: "replicationMs", kind: "count" },
  "secret-propagation": { field: "secretPropagationMs", kind: "count" },
  "consent-propagation": { field: "consentPropagationMs", kind: "count" },
  "retry-after": { field: "retryAfterSeconds", kind: "count" },
  seed: { field: "seed", kind: "count" },
};

export const FAULT_SPEC_HELP =
  "a comma-separated list of key:value, e.g. 429:0.2,503:0.05,504:0.01,latency:50,replication:3000,secret-propagation:10000,consent-propagation:5000,retry-after:1,seed:42 (rates 0–1; times in ms; `propagation` alone: Entra-like secret and consent propagation, `propagation:<ms>` both)";

/**
 * Parses a compact fault spec (`429:0.2,503:0.05,latency:50,replication:3000,seed:42`). Every
 * problem is reported at once. An empty spec or `off` means no faults.
 */
export function parseFaultSpec(spec: string): FaultConfig {
  const config: FaultConfig = { ...NO_FAULTS };
  const trimmed = spec.trim();
  if (trimmed === "" || trimmed.toLowerCase() === "off") return config;
  const problems: string[] = [];
  for (const part of trimmed.split(",")) {
    const [rawKey, rawValue, ...rest] = part.split(":").map((piece) => piece.trim());
    if (rawKey?.toLowerCase() === "propagation" && rest.length === 0) {
      const ms = rawValue === undefined ? undefined : Number(rawValue);
      if (ms !== undefined && !(Number.isInteger(ms) && ms >= 0 && rawValue !== "")) {
        problems.push("propagation must be alone or a whole number of ms");
      } else {
        config.secretPropagationMs = ms ?? ENTRA_PROPAGATION.secretPropagationMs;
        config.consentPropagationMs = ms ?? ENTRA_PROPAGATION.consentPropagationMs;
      }
      continue;
    }
    const entry = SPEC_KEYS[(rawKey ?? "").toLowerCase()];
    if (!entry) {
      problems.push(`unknown fault '${rawKey}'`);
      continue;
    }
    const value = Number(rawValue);
    if (rest.length > 0 || rawValue === undefined || rawValue === "" || !Number.isFinite(value)) {
      problems.push(`'${part.trim()}' needs a number after the colon`);
    } else if (entry.kind === "rate" && (value < 0 || value > 1)) {
      problems.push(`${rawKey} must be a rate from 0 to 1`);
    } else if (entry.kind === "count" && (value < 0 || !Number.isInteger(value))) {
      problems.push(`${rawKey} must be a whole number of 0 or more`);
    } else {
      config[entry.field] = value;
    }
  }
  return checked(config, problems);
}

/** Validates a (partial) fault configuration, as the admin API and startDevTenant receive it. */
export function faultConfig(input: Partial<FaultConfig> | string | undefined): FaultConfig {
  if (input === undefined) return { ...NO_FAULTS };
  if (typeof input === "string") return parseFaultSpec(input);
  const config = { ...NO_FAULTS, ...input };
  const problems: string[] = [];
  for (const [key, { field, kind }] of Object.entries(SPEC_KEYS)) {
    const value = config[field];
    const valid =
      typeof value === "number" &&
      Number.isFinite(value) &&
      (kind === "rate" ? value >= 0 && value <= 1 : value >= 0 && Number.isInteger(value));
    if (!valid)
      problems.push(
        `${key} (${field}) must be ${kind === "rate" ? "a rate from 0 to 1" : "a whole number of 0 or more"}`,
      );
  }
  return checked(config, problems);
}

function checked(config: FaultConfig, problems: string[]): FaultConfig {
  if (config.throttleRate + config.unavailableRate + config.gatewayTimeoutRate > 1) {
    problems.push("the 429, 503 and 504 rates add up to more than 1");
  }
  if (problems.length > 0) {
    throw new UsageError("INVALID_FAULTS", `Invalid fault spec: ${problems.join("; ")}.`, {
      suggestion: `Write it as ${FAULT_SPEC_HELP}.`,
    });
  }
  return config;
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The tenant's fault switchboard: what to inject into the next Graph request, and what is still replicating. */
export class FaultInjector {
  private current: FaultConfig;
  private random: () => number;
  /** Object (or permission) id → when Graph created it, on the tenant clock. */
  private readonly created = new Map<string, number>();
  /** `secret:<keyId>` or `consent:<client sp>:<resource sp>` → when it was written, on the tenant clock. */
  private readonly written = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    config: FaultConfig = NO_FAULTS,
  ) {
    this.current = { ...config };
    this.random = seededRandom(config.seed);
  }

  get config(): FaultConfig {
    return { ...this.current };
  }

  /** Replaces the configuration and restarts the PRNG from its seed. */
  configure(config: FaultConfig): void {
    this.current = { ...config };
    this.random = seededRandom(config.seed);
    this.created.clear();
    this.written.clear();
  }

  /** Draws the fault (if any) for one Graph request. */
  nextRequestFault(): Exclude<FaultKind, "replication"> | undefined {
    const { throttleRate, unavailableRate, gatewayTimeoutRate } = this.current;
    if (throttleRate + unavailableRate + gatewayTimeoutRate === 0) return undefined;
    const draw = this.random();
    if (draw < throttleRate) return "429";
    if (draw < throttleRate + unavailableRate) return "503";
    if (draw < throttleRate + unavailableRate + gatewayTimeoutRate) return "504";
    return undefined;
  }

  /** Records that Graph just created an object (or a scope/role) with this id. */
  markCreated(id: string): void {
    if (this.current.replicationMs <= 0) return;
    const now = this.clock.now();
    for (const [key, at] of this.created) {
      if (now - at >= this.current.replicationMs) this.created.delete(key);
    }
    this.created.set(id.toLowerCase(), now);
  }

  /** True while an object created through Graph has not yet "replicated". */
  isReplicating(id: string): boolean {
    if (this.current.replicationMs <= 0) return false;
    const at = this.created.get(id.toLowerCase());
    return at !== undefined && this.clock.now() - at < this.current.replicationMs;
  }

  /** Records a write whose effect reaches the token endpoint only after its propagation window. */
  markWritten(kind: "secret" | "consent", key: string): void {
    if (this.windowOf(kind) <= 0) return;
    this.written.set(`${kind}:${key.toLowerCase()}`, this.clock.now());
  }

  /** True while a secret or consent written moments ago has not reached the token endpoint yet. */
  isPropagating(kind: "secret" | "consent", key: string): boolean {
    const window = this.windowOf(kind);
    const at = this.written.get(`${kind}:${key.toLowerCase()}`);
    return window > 0 && at !== undefined && this.clock.now() - at < window;
  }

  private windowOf(kind: "secret" | "consent"): number {
    return kind === "secret" ? this.current.secretPropagationMs : this.current.consentPropagationMs;
  }
}
