import { describe, expect, it } from "vitest";
import type { GraphError } from "../../../../src/tenant/graph/errors.js";
import { compileFilter, type FilterSchema } from "../../../../src/tenant/graph/odata-filter.js";

const schema: FilterSchema = {
  appId: "string",
  displayName: "string",
  uniqueName: "string",
  identifierUris: "collection",
  accountEnabled: "boolean",
};
const apps = [
  {
    appId: "a1",
    displayName: "Weather MCP",
    uniqueName: null,
    identifierUris: ["api://a1"],
    accountEnabled: true,
  },
  {
    appId: "b2",
    displayName: "weather-tools",
    uniqueName: "tools",
    identifierUris: [],
    accountEnabled: false,
  },
  {
    appId: "c3",
    displayName: "Other",
    uniqueName: "O'Brien",
    identifierUris: ["https://x.example/api"],
    accountEnabled: true,
  },
];
const ids = (filter: string) =>
  apps.filter(compileFilter(filter, schema, "application")).map((app) => app.appId);

describe("the $filter subset", () => {
  it("compares with eq/ne/in, ignoring case, with quotes escaped as ''", () => {
    expect(ids("appId eq 'a1'")).toEqual(["a1"]);
    expect(ids("displayName eq 'WEATHER MCP'")).toEqual(["a1"]);
    expect(ids("uniqueName eq 'O''Brien'")).toEqual(["c3"]);
    expect(ids("uniqueName eq null")).toEqual(["a1"]);
    expect(ids("appId ne 'a1'")).toEqual(["b2", "c3"]);
    expect(ids("appId in ('a1', 'c3')")).toEqual(["a1", "c3"]);
    expect(ids("accountEnabled eq false")).toEqual(["b2"]);
  });

  it("supports startswith, any/all lambdas, and/or/not with parentheses", () => {
    expect(ids("startswith(displayName,'weather')")).toEqual(["a1", "b2"]);
    expect(ids("identifierUris/any(x:x eq 'API://A1')")).toEqual(["a1"]);
    expect(ids("identifierUris/any(u:startswith(u, 'https://'))")).toEqual(["c3"]);
    expect(ids("startswith(displayName,'weather') and accountEnabled eq true")).toEqual(["a1"]);
    expect(ids("appId eq 'c3' or (appId eq 'b2' and not accountEnabled eq true)")).toEqual(["b2", "c3"]);
  });

  it("refuses properties the resource does not filter on, and bad syntax", () => {
    const error = (filter: string) => {
      try {
        ids(filter);
      } catch (caught) {
        return caught as GraphError;
      }
      throw new Error("no error");
    };
    expect(error("notes eq 'x'")).toMatchObject({ status: 400, code: "Request_UnsupportedQuery" });
    expect(error("displayName gt 'a'")).toMatchObject({ status: 400, code: "Request_UnsupportedQuery" });
    expect(error("identifierUris eq 'x'")).toMatchObject({ code: "Request_UnsupportedQuery" });
    expect(error("appId eq 'unterminated")).toMatchObject({ status: 400, code: "BadRequest" });
    expect(error("appId eq 'a' extra")).toMatchObject({ code: "BadRequest" });
    expect(error("(appId eq 'a'")).toMatchObject({ code: "BadRequest" });
  });
});
