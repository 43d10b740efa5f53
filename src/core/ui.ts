import { Chalk, type ChalkInstance } from "chalk";
import { UsageError } from "./errors.js";

/**
 * The only place that writes to the terminal, colours, spins or prompts. Commands get a Ui and
 * never touch process.stdout, chalk or inquirer themselves.
 */
export interface UiOptions {
  json?: boolean;
  verbose?: boolean;
  /** false for --no-color; undefined means "decide from the terminal and NO_COLOR". */
  color?: boolean;
  /** --yes: take defaults instead of asking. */
  yes?: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  env?: NodeJS.ProcessEnv;
}

export interface Spinner {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
}

export class Ui {
  readonly json: boolean;
  readonly verbose: boolean;
  readonly yes: boolean;
  readonly color: ChalkInstance;
  private readonly stdout: NodeJS.WriteStream;
  private readonly stderr: NodeJS.WriteStream;
  private readonly stdin: NodeJS.ReadStream;

  constructor(options: UiOptions = {}) {
    const env = options.env ?? process.env;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    this.stdin = options.stdin ?? process.stdin;
    this.json = options.json ?? false;
    this.verbose = options.verbose ?? false;
    this.yes = options.yes ?? false;
    const wantsColor =
      options.color !== false &&
      !("NO_COLOR" in env && env.NO_COLOR !== "") &&
      (Boolean(this.stdout.isTTY) || (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0"));
    this.color = new Chalk({ level: wantsColor ? 1 : 0 });
  }

  /** Whether a person can answer prompts (both ends are a terminal and --yes was not given). */
  get interactive(): boolean {
    return !this.yes && Boolean(this.stdin.isTTY) && Boolean(this.stdout.isTTY);
  }

  /** A result line for people; suppressed in --json mode. */
  print(text = ""): void {
    if (!this.json) this.stdout.write(`${text}\n`);
  }

  /** The one JSON document of --json mode. */
  printJson(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Progress and notes go to stderr so stdout stays clean for results. */
  note(text: string): void {
    if (!this.json) this.stderr.write(`${this.color.dim(text)}\n`);
  }

  /** Something a person must see even in --json mode (a device code, a sign-in URL): stderr. */
  tell(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    this.stderr.write(`${this.color.yellow("warning:")} ${text}\n`);
  }

  debug(text: string): void {
    if (this.verbose) this.stderr.write(`${this.color.gray(`[debug] ${text}`)}\n`);
  }

  error(text: string): void {
    this.stderr.write(`${this.color.red("error:")} ${text}\n`);
  }

  /** A spinner on a terminal; plain progress lines elsewhere; nothing in --json mode. */
  async spinner(text: string): Promise<Spinner> {
    if (this.json) return { update() {}, succeed() {}, fail() {}, stop() {} };
    if (!this.stderr.isTTY) {
      const line = (mark: string, value?: string) => this.stderr.write(`${mark} ${value ?? text}\n`);
      return {
        update: (value) => {
          text = value;
        },
        succeed: (value) => line(this.color.green("✔"), value),
        fail: (value) => line(this.color.red("✖"), value),
        stop() {},
      };
    }
    const { default: ora } = await import("ora");
    const spinner = ora({
      text,
      stream: this.stderr,
      color: "cyan",
      isEnabled: this.color.level > 0,
    }).start();
    return {
      update: (value) => {
        spinner.text = value;
      },
      succeed: (value) => void spinner.succeed(value),
      fail: (value) => void spinner.fail(value),
      stop: () => void spinner.stop(),
    };
  }

  /**
   * Asks a question on a terminal. With --yes the default is taken; without a terminal and without a
   * default, the answer is missing: a usage error that names the flag that gives it.
   */
  async ask<T>(question: Question<T>): Promise<T> {
    if (!this.interactive) {
      if (question.default !== undefined && (this.yes || question.optional)) return question.default;
      throw new UsageError("MISSING_ANSWER", `${question.flag} is required here (no terminal to ask on).`, {
        suggestion: `Pass ${question.flag}${question.default === undefined ? "" : ", or --yes to accept the default"}.`,
      });
    }
    const prompts = await import("@inquirer/prompts");
    switch (question.kind) {
      case "confirm":
        return (await prompts.confirm({
          message: question.message,
          default: question.default as boolean,
        })) as T;
      case "select":
        return (await prompts.select({
          message: question.message,
          choices: question.choices ?? [],
          default: question.default,
        })) as T;
      default:
        return (await prompts.input({
          message: question.message,
          default: question.default as string | undefined,
          validate: question.validate as ((value: string) => string | boolean) | undefined,
        })) as T;
    }
  }
}

export interface Question<T> {
  kind: "input" | "confirm" | "select";
  message: string;
  /** The flag that answers this question without a prompt, e.g. "--name <name>". */
  flag: string;
  default?: T;
  /** Without a terminal, silently take the default (only for answers that are safe to assume). */
  optional?: boolean;
  choices?: { name: string; value: T; description?: string }[];
  validate?: (value: string) => string | boolean;
}
