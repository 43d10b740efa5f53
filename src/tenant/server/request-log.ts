import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { RequestHandler } from "express";
import type { FaultKind } from "./faults.js";

/**
 * What the dev tenant was asked and what it answered, so a test can count the Graph calls (and
 * writes) a command made. Entries never hold bodies, headers, secrets or tokens: Graph entries keep
 * their OData query (ids and names only), identity endpoints only their path.
 */
export interface RequestLogEntry {
  seq: number;
  at: string;
  kind: "graph" | "identity";
  method: string;
  path: string;
  /** The query string of a Graph request (decoded), e.g. `$filter=appId eq '…'`. */
  query?: string;
  status: number;
  durationMs: number;
  /** A Graph request that changes state (anything but GET/HEAD/OPTIONS). */
  write: boolean;
  /** The injected fault that decided the answer, if any. */
  fault?: FaultKind;
}

export interface RequestLogFilter {
  kind?: RequestLogEntry["kind"];
  writesOnly?: boolean;
}

export const DEFAULT_REQUEST_LOG_CAPACITY = 2000;

/** A bounded in-memory log: the oldest entries drop off once it is full. */
export class RequestLog {
  private items: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly capacity = DEFAULT_REQUEST_LOG_CAPACITY) {}

  add(entry: Omit<RequestLogEntry, "seq">): void {
    this.seq += 1;
    this.items.push({ seq: this.seq, ...entry });
    // Trimmed once it holds twice its capacity: one splice per `capacity` requests, not one each.
    if (this.items.length >= 2 * this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  entries(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.items
      .slice(-this.capacity)
      .filter((entry) => (filter.kind ? entry.kind === filter.kind : true))
      .filter((entry) => (filter.writesOnly ? entry.write : true))
      .map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.items = [];
  }
}

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

function isGraphPath(path: string): boolean {
  return /^\/(v1\.0|beta)(\/|$)/i.test(path);
}

/** Express middleware that records every request except the admin API and the health check. */
export function requestLogger(log: RequestLog): RequestHandler {
  return (req, res, next) => {
    recordRequest(log, req, res);
    next();
  };
}

/**
 * Logs a request when its response finishes or its client goes away (the express app's requests, and
 * the token endpoint's, which is answered ahead of the app); /health and the admin API are not logged.
 */
export function recordRequest(log: RequestLog, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? "/";
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (path === "/health" || path === "/_admin" || path.startsWith("/_admin/")) return;
  const record = requestRecorder(
    log,
    req.method ?? "GET",
    path,
    queryAt === -1 ? "" : url.slice(queryAt + 1),
    res,
  );
  res.once("finish", record);
  res.once("close", record);
}

/**
 * Records a request once, when called (on its response's `finish` or `close`); `path` is the URL's
 * path, `rawQuery` its query string (kept for Graph requests only).
 */
function requestRecorder(
  log: RequestLog,
  method: string,
  path: string,
  rawQuery: string,
  res: ServerResponse & { locals?: Record<string, unknown> },
): () => void {
  const started = performance.now();
  const at = new Date().toISOString();
  const graph = isGraphPath(path);
  let recorded = false;
  return () => {
    if (recorded) return;
    recorded = true;
    const fault = res.locals?.fault as FaultKind | undefined;
    log.add({
      at,
      kind: graph ? "graph" : "identity",
      method,
      path: safeDecode(path),
      ...(graph && rawQuery ? { query: safeDecode(rawQuery.replace(/\+/g, " ")) } : {}),
      status: res.headersSent ? res.statusCode : 0,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      write: graph && !READS.has(method),
      ...(fault ? { fault } : {}),
    });
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
