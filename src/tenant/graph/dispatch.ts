import type { IncomingHttpHeaders } from "node:http";
import type { TenantContext } from "../context.js";
import type { GraphCaller } from "./auth.js";
import { badRequest, GraphError } from "./errors.js";

/**
 * Graph's URL grammar, as far as app registration needs it: collections, keys by id
 * (`applications/{id}`) or by alternate key (`applications(appId='…')`), navigation segments
 * (`…/federatedIdentityCredentials`), actions (`…/addPassword`) and `$ref`.
 */
export interface SegmentKey {
  /** The key as written: an object id, a name, or an alternate key's value. */
  value: string;
  /** The alternate key's property (`appId`, `uniqueName`, `name`); undefined for a plain key. */
  property?: string;
}

export interface GraphCall {
  ctx: TenantContext;
  caller: GraphCaller;
  method: string;
  /** The keys of the path, in order. */
  keys: SegmentKey[];
  body: Record<string, unknown>;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** e.g. https://localhost:44331/v1.0 */
  serviceRoot: string;
  /** Marks the answer as decided by the replication-delay fault (shown in the request log). */
  markReplication(): void;
}

export interface GraphResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type GraphHandler = (call: GraphCall) => GraphResult | Promise<GraphResult>;

export interface GraphRoute {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Segments separated by `/`; `{}` stands for a key. */
  path: string;
  handler: GraphHandler;
}

type Token = { kind: "segment"; value: string } | { kind: "key"; key: SegmentKey };

/** Splits a Graph path (relative to the version) into names and keys. */
export function tokenize(path: string): Token[] {
  const tokens: Token[] = [];
  for (const raw of path.split("/").filter(Boolean)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw badRequest(`Invalid URL segment '${raw}'.`);
    }
    const paren = segment.match(/^([^(]+)\((.*)\)$/s);
    if (paren) {
      tokens.push({ kind: "segment", value: paren[1]! });
      tokens.push({ kind: "key", key: parseKey(paren[2]!) });
    } else {
      tokens.push({ kind: "segment", value: segment });
    }
  }
  return tokens;
}

function parseKey(expression: string): SegmentKey {
  const named = expression.match(/^\s*(\w+)\s*=\s*'((?:[^']|'')*)'\s*$/s);
  if (named) return { property: named[1]!, value: named[2]!.replace(/''/g, "'") };
  const quoted = expression.match(/^\s*'((?:[^']|'')*)'\s*$/s);
  if (quoted) return { value: quoted[1]!.replace(/''/g, "'") };
  if (/^[\w.-]+$/.test(expression.trim())) return { value: expression.trim() };
  throw badRequest(`Invalid key expression '${expression}'.`);
}

export interface RouteMatch {
  route: GraphRoute;
  keys: SegmentKey[];
}

/**
 * Finds the route for a path: 404-like 400 for unknown segments (as Graph answers), 405 when the
 * path exists but not for this method.
 */
export function matchRoute(routes: GraphRoute[], method: string, path: string): RouteMatch {
  const tokens = tokenize(path);
  let pathMatched = false;
  for (const route of routes) {
    const keys = matchTokens(route.path.split("/"), tokens);
    if (!keys) continue;
    pathMatched = true;
    if (route.method === method) return { route, keys };
  }
  if (pathMatched) {
    throw new GraphError(
      405,
      "Request_BadRequest",
      "Specified HTTP method is not allowed for the request target.",
    );
  }
  const unknown = tokens.find((token) => token.kind === "segment")?.value ?? "";
  throw new GraphError(400, "BadRequest", `Resource not found for the segment '${unknown}'.`);
}

function matchTokens(pattern: string[], tokens: Token[]): SegmentKey[] | undefined {
  if (pattern.length !== tokens.length) return undefined;
  const keys: SegmentKey[] = [];
  for (let index = 0; index < pattern.length; index++) {
    const part = pattern[index]!;
    const token = tokens[index]!;
    if (part === "{}") {
      if (token.kind === "key") keys.push(token.key);
      else keys.push({ value: token.value });
    } else if (token.kind !== "segment" || token.value.toLowerCase() !== part.toLowerCase()) {
      return undefined;
    }
  }
  return keys;
}
