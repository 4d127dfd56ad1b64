// The schema compiler itself: a field added to a schema is generated and mutated with no change to any test, length
// is counted in code points, and a keyword it does not understand fails loudly instead of being ignored.
import { Ajv } from "ajv";
import fc from "fast-check";
import { expect, it } from "vitest";
import { type JsonSchema, oneMutant, schemaArbitraries } from "../support/arbitraries.js";
import { resolveRef } from "../support/spec.js";
import { runParameters } from "./run-parameters.js";

const user = resolveRef({ $ref: "#/components/schemas/NkiUser" });
const withCompany = {
  ...user,
  properties: { ...(user.properties as object), Company: { type: "string", maxLength: 5 } },
};
const schemas = schemaArbitraries((node) => node as JsonSchema);

it("generates and mutates a field added to the schema", () => {
  const values = fc.sample(schemas.valid(withCompany), { numRuns: 300, seed: 1 }) as Record<string, unknown>[];
  const companies = values.map((value) => value.Company).filter((company) => company !== undefined);
  expect(companies.length).toBeGreaterThan(0);
  expect(companies.every((company) => typeof company === "string" && [...company].length <= 5)).toBe(true);
  const mutations = schemas.mutants(withCompany).map((source) => fc.sample(source.arbitrary, 1)[0]?.mutation);
  expect(mutations).toContainEqual({ kind: "maxLength", path: ["Company"] });
  expect(mutations).toContainEqual({ kind: "type", path: ["Company"] });
});

it("counts string length in code points, as JSON Schema does", () => {
  const phones = fc.sample(schemas.valid({ type: "string", maxLength: 16 }), { numRuns: 2000, seed: 2 }) as string[];
  expect(phones.every((phone) => [...phone].length <= 16)).toBe(true);
  // Emoji are generated, and a string at the limit can be longer than 16 in UTF-16 units yet still valid.
  expect(phones.some((phone) => phone.length > 16)).toBe(true);
  const tooLong = fc.sample(oneMutant(schemas.mutants({ type: "string", maxLength: 16 }), ["maxLength"]), 200);
  expect(tooLong.every(({ value }) => [...(value as string)].length > 16)).toBe(true);
});

it("refuses a keyword it does not understand, so the spec cannot outgrow the tests silently", () => {
  expect(() => schemas.valid({ type: "string", pattern: "^\\+" })).toThrow(/pattern/);
  expect(() => schemas.valid({ type: "string", format: "email" })).toThrow(/email/);
});

it("every keyword it supports: valid values pass ajv, and each mutant fails ajv where it says", () => {
  const everyKeyword: JsonSchema = {
    type: "object",
    additionalProperties: false,
    required: ["name", "tags"],
    properties: {
      name: { type: "string", minLength: 2, maxLength: 5 },
      colour: { type: "string", enum: ["red", "blue"] },
      count: { type: "integer", format: "int32", minimum: 1, maximum: 9 },
      price: { type: "number", format: "double" },
      active: { type: "boolean" },
      tags: { type: "array", minItems: 1, maxItems: 2, items: { type: "integer", enum: [752, 978] } },
    },
  };
  const ajv = new Ajv({ allErrors: true, formats: { int32: true, double: true } });
  const validate = ajv.compile(everyKeyword);
  fc.assert(
    fc.property(schemas.valid(everyKeyword), (value) => {
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    }),
    runParameters(),
  );
  const sources = schemas.mutants(everyKeyword);
  expect(new Set(sources.map((source) => source.kind))).toEqual(
    new Set(["type", "required", "additionalProperties", "maxLength", "minLength", "enum", "int32", "range", "items"]),
  );
  fc.assert(
    fc.property(oneMutant(sources), ({ value, mutation }) => {
      expect(validate(value)).toBe(false);
      const path = mutation.kind === "required" ? mutation.path.slice(0, -1) : mutation.path;
      const pointer = path.map((segment) => `/${segment}`).join("");
      expect(validate.errors?.map((error) => error.instancePath)).toContain(pointer);
    }),
    runParameters(),
  );
});
