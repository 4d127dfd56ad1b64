// Every constraint the seed page states holds in the bundled spec. The seed (IP1's reference page, copied into
// test/fixtures/seed) prints the request and response schemas as JSON; we parse them out and compare keyword by
// keyword, so a spec edit that loosens or drops a stated constraint fails here.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { inlineRefs } from "../../scripts/lib/openapi-refs.js";
import { bundledSpec, resolveRef, sendOperation } from "../support/spec.js";

type Json = Record<string, unknown>;

const seed = readFileSync(new URL("../fixtures/seed/ip1-nki-send.txt", import.meta.url), "utf8");

/** The JSON blocks printed on the page: each starts at a line that is just `{` or `[` and runs to its balance. */
function jsonBlocks(text: string): unknown[] {
  const blocks: unknown[] = [];
  const lines = text.split("\n");
  for (let start = 0; start < lines.length; start++) {
    if (lines[start] !== "{" && lines[start] !== "[") continue;
    for (let end = start; end < lines.length; end++) {
      if (lines[end] !== "}" && lines[end] !== "]") continue;
      try {
        blocks.push(JSON.parse(lines.slice(start, end + 1).join("\n")));
        start = end;
        break;
      } catch {
        // Not balanced yet: keep extending.
      }
    }
  }
  return blocks;
}

const isSchema = (block: unknown): block is Json =>
  typeof block === "object" && block !== null && !Array.isArray(block) && "type" in block;
const seedSchemas = jsonBlocks(seed).filter(isSchema);
const seedRequest = seedSchemas.find((schema) => schema.type === "object");
const seedResponse = seedSchemas.find((schema) => schema.type === "array");

/**
 * Checks that `ours` states everything `seed` states: the same keywords with the same values, except that our
 * descriptions may add to the seed's (naming IP1 sources) as long as they start with it. Returns the differences.
 */
function missingConstraints(seed: unknown, ours: unknown, path = "$"): string[] {
  if (seed === null || typeof seed !== "object" || Array.isArray(seed)) {
    return JSON.stringify(seed) === JSON.stringify(ours)
      ? []
      : [`${path}: seed ${JSON.stringify(seed)}, spec ${JSON.stringify(ours)}`];
  }
  if (ours === null || typeof ours !== "object") return [`${path}: missing`];
  return Object.entries(seed).flatMap(([key, value]) => {
    const mine = (ours as Json)[key];
    if (key === "type" && path in NULLABLE_EXCEPTIONS && JSON.stringify(mine) === JSON.stringify([value, "null"])) {
      return [];
    }
    if (key === "description" && typeof value === "string") {
      return typeof mine === "string" && mine.startsWith(value)
        ? []
        : [`${path}.description: must start with "${value}"`];
    }
    if (key === "required" && Array.isArray(value)) {
      return JSON.stringify([...value].sort()) === JSON.stringify([...((mine as string[]) ?? [])].sort())
        ? []
        : [`${path}.required: seed ${JSON.stringify(value)}, spec ${JSON.stringify(mine)}`];
    }
    return missingConstraints(value, mine, `${path}.${key}`);
  });
}

/**
 * The documented exceptions: where the seed contradicts itself, its description wins over its type, and the spec adds
 * `null` to the type (and says why in the field's description). Only these places may do so.
 */
const NULLABLE_EXCEPTIONS: Record<string, string> = {
  "$.items.properties.CountryCode": "the seed's description: null when To is invalid",
  "$.items.properties.BundleID": 'the seed\'s description: "if any"; IP1 sends none for a message sent alone',
};

const media = (node: unknown) => ((resolveRef(node) as Json).content as Json)["application/json"] as Json;

describe("the bundled spec states every constraint of the seed page", () => {
  it("finds the request and response schemas on the seed page", () => {
    expect(seedRequest?.required).toEqual(["Users", "From", "Message"]);
    expect(seedResponse?.items).toBeDefined();
  });

  it("request body", () => {
    const ours = inlineRefs(bundledSpec, media(sendOperation.requestBody).schema);
    expect(missingConstraints(seedRequest, ours)).toEqual([]);
  });

  it("200 response", () => {
    const ours = inlineRefs(bundledSpec, media((sendOperation.responses as Json)["200"]).schema);
    expect(missingConstraints(seedResponse, ours)).toEqual([]);
  });

  it("the nullable exceptions are the only ones, and each says so in its description", () => {
    const ours = inlineRefs(bundledSpec, media((sendOperation.responses as Json)["200"]).schema) as {
      items: { properties: Record<string, Json> };
    };
    const nullable = Object.entries(ours.items.properties).filter(
      ([, field]) => Array.isArray(field.type) && field.type.includes("null"),
    );
    expect(nullable.map(([name]) => `$.items.properties.${name}`).sort()).toEqual(
      Object.keys(NULLABLE_EXCEPTIONS).sort(),
    );
    for (const [, field] of nullable) expect(field.description).toContain("Nullable, unlike the seed's type.");
  });

  it("nki is a required int32 path parameter (the seed: `integer`, `Format - int32. NKI ID`)", () => {
    expect(seed).toContain("Format - int32. NKI ID");
    const [nki] = sendOperation.parameters as Json[];
    expect(nki).toMatchObject({ name: "nki", in: "path", required: true, description: "NKI ID" });
    expect(nki?.schema).toEqual({ type: "integer", format: "int32" });
  });

  it("the comparison itself catches a loosened constraint", () => {
    const ours = inlineRefs(bundledSpec, media(sendOperation.requestBody).schema) as Json;
    const loosened = structuredClone(ours) as { properties: { Users: { items: { properties: Json } } } };
    delete (loosened.properties.Users.items.properties.Phone as Json).maxLength;
    expect(missingConstraints(seedRequest, loosened)).toEqual([
      "$.properties.Users.items.properties.Phone.maxLength: seed 16, spec undefined",
    ]);
  });
});
