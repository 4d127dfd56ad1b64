// Every example in the bundle passes the generated validator for its schema. Redocly's lint checks the same thing
// with its own engine; this proves our validators (what the client runs) agree.
import { describe, expect, it } from "vitest";
import * as validators from "../../generated/validators.js";
import { estimateSegments } from "../../src/segments.js";
import { bundledSpec, resolveRef, sendOperation } from "../support/spec.js";

type Json = Record<string, unknown>;
type Validator = ((data: unknown) => boolean) & { errors?: unknown };

const byName = validators as unknown as Record<string, Validator>;
const schemas = (bundledSpec.components as { schemas: Record<string, Json> }).schemas;

const schemaExamples = Object.entries(schemas).flatMap(([name, schema]) =>
  ((schema.examples as unknown[] | undefined) ?? []).map(
    (example, i) => [`${name} example ${i}`, `validate${name}`, example] as const,
  ),
);

function mediaExamples(node: unknown, validatorName: string, label: string) {
  const media = ((resolveRef(node) as Json).content as Json)["application/json"] as { examples?: Json };
  return Object.entries(media.examples ?? {}).map(
    ([name, example]) =>
      [`${label} example ${name}`, validatorName, (resolveRef(example) as { value: unknown }).value] as const,
  );
}

const responses = sendOperation.responses as Json;
const operationExamples = [
  ...mediaExamples(sendOperation.requestBody, "validateSendNkiToUsersBody", "request body"),
  ...mediaExamples(responses["200"], "validateSendNkiToUsersResponse200", "200 response"),
];

describe("examples in the spec are valid", () => {
  it("the spec has examples for every component schema and for the operation", () => {
    expect(schemaExamples.map(([label]) => label.split(" ")[0])).toEqual(Object.keys(schemas));
    expect(operationExamples).toHaveLength(2);
  });

  it.each([...schemaExamples, ...operationExamples])("%s", (_label, validatorName, example) => {
    const validate = byName[validatorName];
    expect(validate, `${validatorName} is generated`).toBeTypeOf("function");
    expect(validate?.(example), JSON.stringify(validate?.errors)).toBe(true);
  });
});

describe("OutgoingSms examples are self-consistent", () => {
  const records = [
    ...((schemas.OutgoingSms?.examples as Json[] | undefined) ?? []),
    ...operationExamples.filter(([label]) => label.startsWith("200")).flatMap(([, , value]) => value as Json[]),
  ];

  it.each(records.map((record) => [record.To, record] as const))(
    "%s: Segments and Encoding match the message, and TotalPrice = Price × Segments",
    (_to, record) => {
      const estimate = estimateSegments(String(record.Message));
      expect(record.Segments).toBe(estimate.segments);
      expect(record.Encoding).toBe(estimate.encoding === "GSM-7" ? 0 : 2);
      expect(record.TotalPrice).toBeCloseTo(Number(record.Price) * estimate.segments, 6);
    },
  );
});
