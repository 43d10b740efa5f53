import type { GraphCall, GraphResult } from "./dispatch.js";
import { badRequest, GraphError, unsupportedQuery } from "./errors.js";
import { compileFilter, type FilterSchema } from "./odata-filter.js";

/** `$select`, `$top`, `$filter` and paging with `@odata.nextLink`, for collections and single objects. */
export interface ResourceShape {
  /** OData type name without namespace, e.g. `application` (used in messages). */
  type: string;
  filterable: FilterSchema;
}

const SUPPORTED_OPTIONS = new Set(["$filter", "$select", "$top", "$skiptoken"]);
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 999;

function checkOptions(call: GraphCall, allowed: Set<string>): void {
  for (const name of Object.keys(call.query)) {
    if (!name.startsWith("$")) continue;
    if (!allowed.has(name.toLowerCase())) {
      throw unsupportedQuery(`The query option '${name}' is not supported by the dev tenant's Graph subset.`);
    }
  }
}

function option(call: GraphCall, name: string): string | undefined {
  const key = Object.keys(call.query).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : call.query[key];
}

function selected(
  call: GraphCall,
  shape: ResourceShape,
  sample: Record<string, unknown>,
): string[] | undefined {
  const raw = option(call, "$select");
  if (raw === undefined || raw.trim() === "") return undefined;
  const names = raw
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  return names.map((name) => {
    const match = Object.keys(sample).find((key) => key.toLowerCase() === name.toLowerCase());
    if (!match) {
      throw new GraphError(
        400,
        "BadRequest",
        `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type 'microsoft.graph.${shape.type}'.`,
      );
    }
    return match;
  });
}

function project(item: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) return item;
  return Object.fromEntries(select.map((name) => [name, item[name]]));
}

/** A single object, honouring `$select`. */
export function entityResponse(
  call: GraphCall,
  shape: ResourceShape,
  contextPath: string,
  item: Record<string, unknown>,
  status = 200,
): GraphResult {
  checkOptions(call, new Set(["$select"]));
  const select = selected(call, shape, item);
  const context = `${call.serviceRoot}/$metadata#${contextPath}${select ? `(${select.join(",")})` : ""}/$entity`;
  return { status, body: { "@odata.context": context, ...project(item, select) } };
}

/**
 * A page of a collection: filtered, projected, at most `$top` items, with an absolute
 * `@odata.nextLink` on the tenant's own origin when more remain.
 */
export function collectionResponse(
  call: GraphCall,
  shape: ResourceShape,
  contextPath: string,
  requestPath: string,
  items: Record<string, unknown>[],
): GraphResult {
  checkOptions(call, SUPPORTED_OPTIONS);
  const filter = option(call, "$filter");
  const matching = filter ? items.filter(compileFilter(filter, shape.filterable, shape.type)) : items;
  const select = items[0] ? selected(call, shape, items[0]) : undefined;
  const top = pageSize(option(call, "$top"));
  const offset = skipOffset(option(call, "$skiptoken"));
  const page = matching.slice(offset, offset + top);
  const body: Record<string, unknown> = {
    "@odata.context": `${call.serviceRoot}/$metadata#${contextPath}${select ? `(${select.join(",")})` : ""}`,
  };
  if (offset + top < matching.length) {
    const params: string[] = [];
    if (filter) params.push(`$filter=${encodeURIComponent(filter)}`);
    const rawSelect = option(call, "$select");
    if (rawSelect) params.push(`$select=${encodeURIComponent(rawSelect)}`);
    params.push(`$top=${top}`, `$skiptoken=${skipToken(offset + top)}`);
    body["@odata.nextLink"] = `${call.serviceRoot}/${requestPath}?${params.join("&")}`;
  }
  body.value = page.map((item) => project(item, select));
  return { status: 200, body };
}

function pageSize(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badRequest(
      `Invalid page size specified: '${raw}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`,
    );
  }
  return size;
}

function skipToken(offset: number): string {
  return `RFNwdAIAAQAAA${Buffer.from(JSON.stringify({ o: offset })).toString("base64url")}`;
}

function skipOffset(raw: string | undefined): number {
  if (raw === undefined) return 0;
  try {
    const decoded = JSON.parse(Buffer.from(raw.replace(/^RFNwdAIAAQAAA/, ""), "base64url").toString("utf8"));
    if (Number.isInteger(decoded.o) && decoded.o >= 0) return decoded.o;
  } catch {
    // fall through to the error below
  }
  throw badRequest("The specified page token value has expired or is invalid.");
}
