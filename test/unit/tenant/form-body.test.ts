import qs from "qs";
import { describe, expect, it } from "vitest";
import { parseForm } from "../../../src/tenant/endpoints/form-body.js";

/** What express.urlencoded({ extended: false }) (body-parser 2) makes of a UTF-8 body. */
function bodyParser(body: string): unknown {
  if (body.length === 0) return {};
  return qs.parse(body, {
    allowPrototypes: true,
    arrayLimit: body.split("&").length,
    depth: 0,
    charset: "utf-8",
    parameterLimit: 1000,
    strictDepth: true,
  });
}

const pieces = [
  "a",
  "b",
  "",
  "=",
  "&",
  "+",
  "%20",
  "%",
  "%E2%9C%93",
  "%E2%9C",
  "%zz",
  "__proto__",
  "constructor",
];
const morePieces = [
  ...pieces,
  "toString",
  "hasOwnProperty",
  "0",
  "1",
  "x=y",
  "[",
  "]",
  "%5B",
  "%5d",
  "a[b]",
  "\u00e9",
];

/** A small deterministic generator, so a failure names the body that caused it. */
function bodies(count: number, seed: number): string[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state;
  };
  return Array.from({ length: count }, () => {
    let body = "";
    const length = next() % 12;
    for (let index = 0; index < length; index++) body += morePieces[next() % morePieces.length];
    return body;
  });
}

describe("parseForm (the token endpoint's fast path)", () => {
  it("parses a body as express.urlencoded does", () => {
    const cases = [
      "grant_type=client_credentials&client_id=abc&scope=api%3A%2F%2Fx%2F.default",
      "a=1&a=2&a=3",
      "a&b=&=c&&d=%20+e",
      "__proto__=x&constructor=y&toString=z&hasOwnProperty=w",
      "bad=%E2%9C&good=%E2%9C%93&plus=a+b%2Bc",
      "a[b]=1&c=%5Bd%5D&e[]=1&e[]=2",
      "\ufeffgrant_type=refresh_token",
      ...bodies(3000, 7),
      ...pieces.flatMap((a) => pieces.map((b) => `${a}${b}=${b}${a}&${a}=${b}`)),
    ];
    for (const body of cases) {
      expect({ body, parsed: parseForm(body) }).toEqual({
        body,
        parsed: bodyParser(body.replace(/^\ufeff/, "")),
      });
    }
  });

  it("refuses more than 1000 parameters with a 413", () => {
    expect(Object.keys(parseForm("a=1&".repeat(999).concat("b=2")))).toEqual(["a", "b"]);
    expect(() => parseForm("a=1&".repeat(1000).concat("b=2"))).toThrow(
      expect.objectContaining({ status: 413 }),
    );
  });
});
