import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { expect } from "vitest";

const schema = JSON.parse(
  readFileSync(new URL("../../schemas/test-flow-report.schema.json", import.meta.url), "utf8"),
) as object;
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
addFormats(ajv);
const validate = ajv.compile(schema);

/** Asserts that a report (or its JSON text) matches schemas/test-flow-report.schema.json. */
export function expectValidReport(report: unknown): void {
  const value = typeof report === "string" ? JSON.parse(report) : report;
  const valid = validate(value);
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
  expect(valid).toBe(true);
}
