// The generated response validators, against bodies generated from the response schemas: every valid body passes,
// and every body broken in one place fails at that place. The request schema has no enum, so this is where the enum
// mutation is proved (Currency, Encoding); the agreement property mutates a request enum as soon as the spec has one.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as validators from "../../generated/validators.js";
import { oneMutant, schemaArbitraries } from "../support/arbitraries.js";
import { resolveRef, sendOperation } from "../support/spec.js";
import { runParameters } from "./run-parameters.js";

const schemas = schemaArbitraries();
const operationName = String(sendOperation.operationId).replace(/^./, (first) => first.toUpperCase());
const jsonResponses = Object.entries(sendOperation.responses as Record<string, unknown>).map(([status, node]) => {
  const content = resolveRef(node).content as Record<string, { schema: unknown }>;
  const validator = (validators as Record<string, unknown>)[`validate${operationName}Response${status}`];
  return { status, schema: content["application/json"]?.schema, validate: validator as validators.Validator<unknown> };
});

const pointer = (path: (string | number)[]) => path.map((segment) => `/${segment}`).join("");

describe.each(jsonResponses)("the $status response validator", ({ schema, validate }) => {
  it("accepts every body generated from the schema", () => {
    fc.assert(
      fc.property(schemas.valid(schema), (body) => {
        expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
      }),
      runParameters(),
    );
  });

  it("rejects every body broken in one place, naming that place", () => {
    fc.assert(
      fc.property(oneMutant(schemas.mutants(schema)), ({ value, mutation }) => {
        expect(validate(value)).toBe(false);
        const missing = mutation.kind === "required" ? mutation.path.at(-1) : undefined;
        const place = pointer(missing === undefined ? mutation.path : mutation.path.slice(0, -1));
        const named = (validate.errors ?? []).some(
          (problem) =>
            problem.instancePath === place && (missing === undefined || problem.params.missingProperty === missing),
        );
        expect(named, `${mutation.kind} at ${place}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }),
      runParameters(),
    );
  });
});

it("rejects a value outside each enum of the 200 body (Currency, Encoding), at its place", () => {
  const ok = jsonResponses.find((response) => response.status === "200");
  if (!ok) throw new Error("the spec documents no 200");
  const enumSources = schemas.mutants(ok.schema).filter((source) => source.kind === "enum");
  const places = new Set<string>();
  fc.assert(
    fc.property(oneMutant(enumSources), ({ value, mutation }) => {
      places.add(String(mutation.path.at(-1)));
      expect(ok.validate(value)).toBe(false);
      expect(ok.validate.errors?.some((p) => p.keyword === "enum" && p.instancePath === pointer(mutation.path))).toBe(
        true,
      );
    }),
    runParameters(),
  );
  expect([...places].sort()).toEqual(["Currency", "Encoding"]);
});
