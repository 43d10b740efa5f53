import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { InitAnswers } from "./init-answers.js";

/** One thing to do after `init`, with the command that does it when there is one. */
export interface NextStep {
  title: string;
  command?: string;
}

export interface NextStepsInput {
  answers: InitAnswers;
  /** Files written, relative to the project folder. */
  files: string[];
  registered: boolean;
  /** Registered on the dev tenant: the server trusts its CA through NODE_EXTRA_CA_CERTS, set before it starts. */
  devTenant?: boolean;
  installed: boolean;
  /** The folder `init` ran in (for the `cd` line). */
  cwd: string;
}

/** What to run next, from the generated project's own scripts and files. */
export async function nextSteps(input: NextStepsInput): Promise<NextStep[]> {
  const { answers, files } = input;
  const scripts = await packageScripts(answers.targetDir);
  const steps: NextStep[] = [];
  const folder = relative(input.cwd, answers.targetDir);
  if (folder !== "") steps.push({ title: "Go to the project", command: `cd ${shellWord(folder)}` });
  if (!input.installed) steps.push({ title: "Install dependencies", command: "npm install" });
  if (!input.registered) {
    const url = answers.serverUrl ? ` --server-url ${answers.serverUrl}` : "";
    steps.push({
      title: "Register the Entra app and write .env",
      command: `npx mcp-entra register --preset ${answers.template.name}${url}`,
    });
  }
  const listens = answers.serverUrl ? ` (MCP endpoint ${answers.serverUrl})` : "";
  if (scripts.dev) steps.push({ title: `Run it in development${listens}`, command: "npm run dev" });
  else if (scripts.build && scripts.start) {
    const trust = input.devTenant ? `eval "$(npx mcp-entra tenant env)" && ` : "";
    steps.push({ title: `Build and start it${listens}`, command: `npm run build && ${trust}npm start` });
  }
  if (scripts.test)
    steps.push({ title: "Run its tests (offline, against a dev tenant)", command: "npm test" });
  if (answers.serverUrl) {
    steps.push({
      title: "Try sign-in → initialize → tools/list → tools/call against the running server",
      command: `npx mcp-entra test-flow ${answers.serverUrl}`,
    });
  }
  if (files.includes(".vscode/mcp.json")) {
    steps.push({
      title: `Use it from VS Code: .vscode/mcp.json registers "${answers.projectName}"; open the folder and start it from "MCP: List Servers"`,
      command: "code .",
    });
  }
  if (files.includes(".mcp.json")) {
    steps.push({
      title: `Use it from Claude Code: .mcp.json registers "${answers.projectName}" for this folder; sign in from /mcp (the proxy registers Claude Code)`,
      command: "claude",
    });
  }
  if (files.includes(".cursor/mcp.json")) {
    steps.push({
      title: `Use it from Cursor: .cursor/mcp.json registers "${answers.projectName}"; open the folder and connect it under MCP in the settings`,
      command: "cursor .",
    });
  }
  return steps;
}

async function packageScripts(dir: string): Promise<Record<string, string>> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
      scripts?: Record<string, string>;
    };
    return manifest.scripts ?? {};
  } catch {
    return {};
  }
}

function shellWord(value: string): string {
  return /^[\w./@%+=:,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
