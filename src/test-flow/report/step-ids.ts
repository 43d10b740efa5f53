/** The steps of a test-flow report, by id, with their titles. */
export const FLOW_STEPS = {
  challenge: "Challenge",
  "protected-resource-metadata": "Protected resource metadata",
  "authorization-server-metadata": "Authorization server metadata",
  "client-identity": "Client identity",
  authorization: "Authorization",
  token: "Token",
  session: "MCP session",
  "tools-list": "MCP tools/list",
  "tools-call": "MCP tools/call",
} as const;

/** With --require-auth (or --strict): the run fails unless the server asked for a token at some point. */
export const REQUIRE_AUTH_STEP = { "authorization-required": "Authorization required" } as const;

/**
 * A stdio server (--stdio): test-flow starts it and speaks MCP over its stdin and stdout. It signs in
 * to Entra itself, so there is no challenge, discovery or token step; `server-sign-in` appears only
 * when the server asked for a sign-in (see server-sign-in.ts).
 */
export const STDIO_STEPS = {
  spawn: "Start the server (stdio)",
  session: "MCP session",
  "tools-list": "MCP tools/list",
  "tools-call": "MCP tools/call",
} as const;

export const SERVER_SIGN_IN_STEP = { "server-sign-in": "Sign-in by the server" } as const;

/** Security checks against the server (--probe), reported after the flow. */
export const PROBE_STEPS = {
  "probe-no-token": "Probe: no token",
  "probe-malformed-token": "Probe: malformed token",
  "probe-wrong-audience": "Probe: token for another audience",
  "probe-expired-token": "Probe: expired token",
  "probe-wrong-issuer": "Probe: token from another issuer",
  "probe-unpublished-key": "Probe: token signed by a key the issuer never published",
  "probe-alg-none": "Probe: unsigned token (alg none)",
  "probe-insufficient-scope": "Probe: token without the tool's scope",
  "probe-token-in-query": "Probe: token in the query string",
  "probe-prm-resource": "Probe: PRM resource is the server",
} as const;

export const STEP_TITLES = {
  ...FLOW_STEPS,
  ...REQUIRE_AUTH_STEP,
  ...STDIO_STEPS,
  ...SERVER_SIGN_IN_STEP,
  ...PROBE_STEPS,
};

export type FlowStepId = keyof typeof FLOW_STEPS | keyof typeof REQUIRE_AUTH_STEP;
export type StdioStepId = keyof typeof STDIO_STEPS | keyof typeof SERVER_SIGN_IN_STEP;
export type ProbeStepId = keyof typeof PROBE_STEPS;
export type StepId = FlowStepId | StdioStepId | ProbeStepId;
