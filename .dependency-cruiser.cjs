/**
 * The import rules `npm test` checks (`npm run lint:deps`): no import cycles in src/, and nothing
 * below the CLI (src/cli, src/commands) imports it. Type-only imports count.
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules in src/ form no import cycle: move what both sides need to where both can import it.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "no-cli-from-below",
      severity: "error",
      comment:
        "The CLI (src/cli, src/commands) drives the code below it and is never imported by it: " +
        "move what the code needs from the CLI down, or pass it in.",
      from: { path: "^src/(tenant|entra|scaffold|test-flow|quickstart|core)/|^src/index\\.ts$" },
      to: { path: "^src/(cli|commands)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
