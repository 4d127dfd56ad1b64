// Requests for one operation, generated from its parameters and request body in the bundled spec: valid ones, and
// ones broken in exactly one place (a path parameter or the body), with the place named.
import fc from "fast-check";
import { type MutantSource, type Mutation, type Segment, schemaArbitraries } from "../support/arbitraries.js";
import { resolveRef } from "../support/spec.js";

export interface RequestCase {
  /** Path parameters by name, as the caller would pass them (numbers for `nki`). */
  params: Record<string, unknown>;
  body: unknown;
  /** Absent for a valid request; otherwise what was broken, and whether in the path or the body. */
  mutation?: Mutation & { in: "path" | "body" };
  /** A valid request also kept to the client policy (conformToPolicy), so the client sends it. */
  policy?: true;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: unknown;
}

export function requestCases(operation: Record<string, unknown>) {
  const schemas = schemaArbitraries();
  const parameters = ((operation.parameters ?? []) as unknown[]).map(
    (node) => resolveRef(node) as unknown as Parameter,
  );
  const unsupported = parameters.filter((parameter) => parameter.in !== "path");
  if (unsupported.length > 0) {
    throw new Error(`request-cases: only path parameters are generated, not ${unsupported.map((p) => p.name)}`);
  }
  const bodySchema = (resolveRef(operation.requestBody).content as Record<string, { schema: unknown }>)[
    "application/json"
  ]?.schema;

  const validParams = fc.record(
    Object.fromEntries(parameters.map((parameter) => [parameter.name, schemas.valid(parameter.schema)])),
  );
  const validBody = schemas.valid(bodySchema);
  const valid: fc.Arbitrary<RequestCase> = fc.record({ params: validParams, body: validBody });

  // A path parameter travels as text, so only numbers stay what they were on the wire: `[5]` and `"5"` both become
  // 5, which is a fact about URLs, not a disagreement. The client's signature takes a number, so numbers are what
  // matter: a non-integer (NaN and ±Infinity included, which JSON bodies cannot carry) or one outside int32.
  const notFinite: MutantSource = {
    kind: "type",
    arbitrary: fc
      .constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)
      .map((value) => ({ value, mutation: { kind: "type", path: [] } })),
  };
  const pathSources = parameters.flatMap((parameter) =>
    [...schemas.mutants(parameter.schema), notFinite]
      .map((source) => ({ ...source, arbitrary: source.arbitrary.filter(({ value }) => typeof value === "number") }))
      .filter((source) => source.kind === "type" || source.kind === "int32")
      .map((source) =>
        fc.tuple(validParams, source.arbitrary, validBody).map(
          ([params, mutant, body]): RequestCase => ({
            params: { ...params, [parameter.name]: mutant.value },
            body,
            mutation: { ...mutant.mutation, path: [parameter.name], in: "path" },
          }),
        ),
      ),
  );
  const bodySources = schemas.mutants(bodySchema).map((source) =>
    fc.tuple(validParams, source.arbitrary).map(
      ([params, mutant]): RequestCase => ({
        params,
        body: mutant.value,
        mutation: { ...mutant.mutation, in: "body" },
      }),
    ),
  );
  // Every (kind, place) is equally likely, wherever it sits.
  const invalid: fc.Arbitrary<RequestCase> = fc.oneof(...pathSources, ...bodySources);

  return { valid, invalid, any: fc.oneof(valid, invalid), policyValid: valid.map(conformToPolicy) };
}

// The client policy (src/policy.ts) refuses what the spec allows but no sane send holds; these are its rules, as
// the smallest change to a spec-valid request that keeps it valid by the spec too.
const controlCharacters = /\p{Cc}/gu;
const senderRule = /^(?:\d{1,15}|[0-9A-Za-z]{1,11})$/;

/** A spec-valid request changed just enough to pass the client policy: the client must then send it. */
export function conformToPolicy(request: RequestCase): RequestCase {
  const nki = request.params.nki as number;
  const body = request.body as { Users: Record<string, unknown>[]; From: string; Message: string };
  const clean = (record: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(record).map(([key, value]) => [
        key,
        typeof value === "string" ? value.replace(controlCharacters, "") : value,
      ]),
    );
  const users = body.Users.length > 0 ? body.Users : [{ FirstName: "Anna" }];
  const message = body.Message.replace(controlCharacters, "");
  return {
    params: { ...request.params, nki: Math.max(nki, 1) },
    body: {
      ...body,
      From: senderRule.test(body.From) ? body.From : "Acme",
      Message: message.trim() === "" ? "Hej" : message,
      // Distinct valid numbers, so neither the phone check nor the de-duplication refuses them.
      Users: users.map((user, index) => ({ ...clean(user), Phone: `+4670${String(index).padStart(7, "0")}` })),
    },
    policy: true,
  };
}

/** The operation's path with each `{name}` replaced by its parameter, written as `String()` writes it. */
export function expandPath(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{([^}]+)\}/g, (_whole, name: string) => encodeURIComponent(String(params[name])));
}

/** A mutation's place as the client (and the simulator's ModelState) writes it: Users[0].Phone, nki, or body. */
export const problemPath = (path: Segment[]) =>
  path.reduce<string>((written, segment) => {
    if (typeof segment === "number") return `${written}[${segment}]`;
    return written ? `${written}.${segment}` : segment;
  }, "") || "body";
