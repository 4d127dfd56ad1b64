// Compiles the JSON Schema subset our spec uses into fast-check arbitraries: valid values, and mutants that break
// exactly one constraint and say which one and where. The property tests read the bundled spec at test time and
// compile it here, so a field added to the spec is generated and mutated without touching a test.
import fc from "fast-check";
import { resolveRef } from "./spec.js";

export type JsonSchema = Record<string, unknown>;
/** A place in a value: object keys and array indexes, outermost first. */
export type Segment = string | number;

export type MutationKind =
  | "required"
  | "additionalProperties"
  | "maxLength"
  | "minLength"
  | "type"
  | "enum"
  | "int32"
  | "range"
  | "items";

export interface Mutation {
  kind: MutationKind;
  /** Where the broken value sits; for `required`, the path ends with the missing key. */
  path: Segment[];
}

export interface Mutant {
  value: unknown;
  mutation: Mutation;
}

/** One way to break a schema: a kind, and an arbitrary of values broken that way. */
export interface MutantSource {
  kind: MutationKind;
  arbitrary: fc.Arbitrary<Mutant>;
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

// Keywords that only describe. Anything not listed here or in `constraints` makes the compiler throw, so a spec that
// starts using (say) `pattern` fails loudly instead of being generated as if the keyword were not there.
const annotations = new Set(["title", "description", "examples", "example", "readOnly", "writeOnly", "deprecated"]);
const constraints = new Set([
  "$ref",
  "type",
  "required",
  "properties",
  "additionalProperties",
  "items",
  "minItems",
  "maxItems",
  "maxLength",
  "minLength",
  "enum",
  "format",
  "minimum",
  "maximum",
]);
const formats: Record<string, string> = { int32: "integer", double: "number" };
/** Marks a schema `load` read from `type: [T, "null"]`. */
const NULLABLE = "x-arbitraries-nullable";

// Mostly printable ASCII (what shrinking falls back to), some BMP letters, and some emoji: an emoji is one code point
// but two UTF-16 units, which is where a length check that counts units instead of code points goes wrong.
const codePoint = fc
  .oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 1, arbitrary: fc.integer({ min: 0xa0, max: 0xd7ff }) },
    { weight: 1, arbitrary: fc.integer({ min: 0x1f300, max: 0x1faff }) },
  )
  .map((point) => String.fromCodePoint(point));

/** A string of `minLength`..`maxLength` code points. */
export const codePointString = (minLength: number, maxLength: number) =>
  fc.string({ unit: codePoint, minLength, maxLength });

/** Keys for extra properties, which the spec allows unless it says `additionalProperties: false`. */
const extraKey = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz_"), minLength: 1, maxLength: 8 });
const smallJson = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), codePointString(0, 8));

type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

// One arbitrary per JSON type, with `number` meaning a number that is not an integer, so the types do not overlap.
const valueOfType: Record<JsonType, fc.Arbitrary<unknown>> = {
  null: fc.constant(null),
  boolean: fc.boolean(),
  integer: fc.integer(),
  number: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }).filter((n) => !Number.isInteger(n)),
  string: codePointString(0, 8),
  array: fc.array(smallJson, { maxLength: 2 }),
  object: fc.dictionary(extraKey, smallJson, { maxKeys: 2 }),
};
// The JSON types a schema `type` accepts: an integer is also a number.
const accepted: Record<string, JsonType[]> = {
  string: ["string"],
  integer: ["integer"],
  number: ["integer", "number"],
  boolean: ["boolean"],
  array: ["array"],
  object: ["object"],
};

/**
 * The arbitraries for one document. `resolve` follows `$ref`s; it defaults to the bundled spec's resolver, and a test
 * can pass its own document's.
 */
export function schemaArbitraries(resolve: (node: unknown) => JsonSchema = resolveRef) {
  function load(node: unknown): JsonSchema {
    const schema = resolve(node);
    for (const keyword of Object.keys(schema)) {
      if (!annotations.has(keyword) && !constraints.has(keyword)) {
        throw new Error(`arbitraries: schema keyword "${keyword}" is not supported; teach test/support/arbitraries.ts`);
      }
    }
    // `type: [T, "null"]` (OpenAPI 3.1's nullable) is read as T, plus null as one more valid value.
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const nullable = types.length === 2 && types.includes("null");
    const type = nullable ? types.find((name) => name !== "null") : types.length === 1 ? types[0] : undefined;
    if (typeof type !== "string" || !(type in accepted)) {
      throw new Error(`arbitraries: schema type ${JSON.stringify(schema.type)} is not supported`);
    }
    const format = schema.format;
    if (format !== undefined && formats[format as string] !== type) {
      throw new Error(`arbitraries: format ${JSON.stringify(format)} on type ${type} is not supported`);
    }
    return nullable ? { ...schema, type, [NULLABLE]: true } : schema;
  }

  const integerRange = (schema: JsonSchema) => ({
    min: Math.max(
      (schema.minimum as number | undefined) ?? -Number.MAX_SAFE_INTEGER,
      schema.format ? INT32.min : -Infinity,
    ),
    max: Math.min(
      (schema.maximum as number | undefined) ?? Number.MAX_SAFE_INTEGER,
      schema.format ? INT32.max : Infinity,
    ),
  });

  const lengths = (schema: JsonSchema) => ({
    min: (schema.minLength as number | undefined) ?? 0,
    max: schema.maxLength as number | undefined,
  });

  /** Values that satisfy `node`. */
  function valid(node: unknown): fc.Arbitrary<unknown> {
    const schema = load(node);
    if (schema[NULLABLE]) return fc.option(validNonNull(schema), { nil: null });
    return validNonNull(schema);
  }

  function validNonNull(schema: JsonSchema): fc.Arbitrary<unknown> {
    if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
    switch (schema.type) {
      case "string": {
        const { min, max } = lengths(schema);
        if (max === undefined) return codePointString(min, min + 30);
        // Half the time right at the limit, where off-by-one and code-unit counting bugs live.
        return fc.oneof(codePointString(min, max), codePointString(Math.max(min, max - 1), max));
      }
      case "integer":
        return fc.integer(integerRange(schema));
      case "number":
        return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
      case "boolean":
        return fc.boolean();
      case "array":
        return fc.array(valid(schema.items), {
          minLength: (schema.minItems as number | undefined) ?? 0,
          maxLength: (schema.maxItems as number | undefined) ?? 3,
        });
      default:
        return validObject(schema);
    }
  }

  function validObject(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    const record = fc.record(
      Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, valid(property)])),
      { requiredKeys: (schema.required ?? []) as string[] },
    );
    if (schema.additionalProperties === false) return record;
    const extras = fc.dictionary(
      extraKey.filter((key) => !(key in properties)),
      smallJson,
      { maxKeys: 2 },
    );
    return fc.tuple(record, fc.option(extras, { freq: 4, nil: {} })).map(([known, extra]) => ({ ...extra, ...known }));
  }

  const at = (arbitrary: fc.Arbitrary<unknown>, kind: MutationKind, path: Segment[] = []): MutantSource => ({
    kind,
    arbitrary: arbitrary.map((value) => ({ value, mutation: { kind, path } })),
  });

  /** Every way to break `node` in exactly one place, each as its own source, flattened from the leaves up. */
  function mutants(node: unknown): MutantSource[] {
    const schema = load(node);
    const ok = [...(accepted[schema.type as string] ?? []), ...(schema[NULLABLE] ? ["null" as const] : [])];
    const wrongTypes = (Object.keys(valueOfType) as JsonType[]).filter((type) => !ok.includes(type));
    const sources = [at(fc.oneof(...wrongTypes.map((type) => valueOfType[type])), "type")];

    if (Array.isArray(schema.enum)) {
      const allowed = schema.enum;
      const sameType: fc.Arbitrary<unknown> =
        schema.type === "string" ? codePointString(0, 8) : fc.integer(integerRange(schema));
      sources.push(
        at(
          sameType.filter((value) => !allowed.includes(value)),
          "enum",
        ),
      );
    }
    if (schema.type === "string") {
      const { min, max } = lengths(schema);
      if (max !== undefined) sources.push(at(codePointString(max + 1, max + 4), "maxLength"));
      if (min > 0) sources.push(at(codePointString(0, min - 1), "minLength"));
    }
    if (schema.type === "integer" && schema.format === "int32") {
      const outside = fc.oneof(
        fc.integer({ min: INT32.max + 1, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: INT32.min - 1 }),
      );
      sources.push(at(outside, "int32"));
    }
    if (typeof schema.minimum === "number") sources.push(at(fc.constant(schema.minimum - 1), "range"));
    if (typeof schema.maximum === "number") sources.push(at(fc.constant(schema.maximum + 1), "range"));
    if (schema.type === "array") {
      const item = valid(schema.items);
      const { minItems, maxItems } = schema as { minItems?: number; maxItems?: number };
      if (maxItems !== undefined) {
        sources.push(at(fc.array(item, { minLength: maxItems + 1, maxLength: maxItems + 2 }), "items"));
      }
      if (minItems) sources.push(at(fc.array(item, { maxLength: minItems - 1 }), "items"));
      for (const source of mutants(schema.items)) {
        const arbitrary = fc
          .tuple(fc.array(item, { maxLength: 2 }), source.arbitrary, fc.array(item, { maxLength: 1 }))
          .map(([before, mutant, after]) => ({
            value: [...before, mutant.value, ...after],
            mutation: { kind: mutant.mutation.kind, path: [before.length, ...mutant.mutation.path] },
          }));
        sources.push({ kind: source.kind, arbitrary });
      }
    }
    if (schema.type === "object") sources.push(...objectMutants(schema));
    return sources;
  }

  function objectMutants(schema: JsonSchema): MutantSource[] {
    const whole = validObject(schema);
    const sources: MutantSource[] = [];
    if (schema.additionalProperties === false) {
      const unknownKey = extraKey.filter((key) => !(key in ((schema.properties ?? {}) as object)));
      const withExtra = fc
        .tuple(whole, unknownKey, smallJson)
        .map(([object, key, value]) => ({ ...object, [key]: value }));
      sources.push(at(withExtra, "additionalProperties"));
    }
    for (const key of (schema.required ?? []) as string[]) {
      const dropped = whole.map(({ [key]: _dropped, ...rest }) => rest);
      sources.push(at(dropped, "required", [key]));
    }
    for (const [key, property] of Object.entries((schema.properties ?? {}) as Record<string, unknown>)) {
      for (const source of mutants(property)) {
        const arbitrary = fc.tuple(whole, source.arbitrary).map(([object, mutant]) => ({
          value: { ...object, [key]: mutant.value },
          mutation: { kind: mutant.mutation.kind, path: [key, ...mutant.mutation.path] },
        }));
        sources.push({ kind: source.kind, arbitrary });
      }
    }
    return sources;
  }

  return { valid, mutants };
}

/** All mutants of a schema as one arbitrary, each (kind, place) equally likely; `kinds` narrows it. */
export function oneMutant(sources: MutantSource[], kinds?: MutationKind[]): fc.Arbitrary<Mutant> {
  const chosen = kinds ? sources.filter((source) => kinds.includes(source.kind)) : sources;
  if (chosen.length === 0) throw new Error(`arbitraries: the schema has no mutation of kind ${kinds?.join(", ")}`);
  return fc.oneof(...chosen.map((source) => source.arbitrary));
}
