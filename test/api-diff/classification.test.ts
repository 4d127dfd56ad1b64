// Classification rules the spec-mutation fixtures do not reach, on in-memory edits of the real bundle, and the
// OpenAPI 3.0.3 copy that lets openapi-diff read our 3.1 document.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { ChangeList } from "../../scripts/lib/api-change.js";
import { findApiChanges } from "../../scripts/lib/api-changes.js";
import { toOpenApi30 } from "../../scripts/lib/openapi-30-copy.js";
import { addUnexplainedFindings } from "../../scripts/lib/openapi-diff-changes.js";
import { asArray, type JsonObject } from "../../scripts/lib/openapi-refs.js";
import { bundledSpec } from "../support/spec.js";

const SEND = "/api/nkis/{nki}/users/send";

/** The object at `keys` inside `document`, to edit in place. */
const at = (document: JsonObject, ...keys: string[]) => keys.reduce((node, key) => node[key] as JsonObject, document);
const schema = (document: JsonObject, ...keys: string[]) => at(document, "components", "schemas", ...keys);
const send = (document: JsonObject, ...keys: string[]) => at(document, "paths", SEND, "post", ...keys);

async function classify(edit: (document: JsonObject) => void) {
  const current = structuredClone(bundledSpec) as JsonObject;
  edit(current);
  const changes = await findApiChanges(bundledSpec, current);
  return Object.fromEntries(changes.map((change) => [change.id, `${change.severity} by ${change.classifiedBy}`]));
}

describe("classification beyond the fixtures", () => {
  it("a security scheme redefined under the same name breaks sign-in (rule)", async () => {
    expect(
      await classify((d) => Object.assign(at(d, "components", "securitySchemes", "basicAuth"), { scheme: "digest" })),
    ).toEqual({
      "security:basicAuth:definition": "breaking by rule",
    });
  });

  it("a request body made optional is compatible; a request media type removed is breaking (rules)", async () => {
    expect(await classify((d) => Object.assign(send(d, "requestBody"), { required: false }))).toEqual({
      "request:sendNkiToUsers.body:required": "compatible by rule",
    });
    const body = (d: JsonObject) => send(d, "requestBody", "content");
    expect(
      await classify((d) => {
        body(d)["application/*+json"] = body(d)["application/json"];
        delete body(d)["application/json"];
      }),
    ).toEqual({
      "request:sendNkiToUsers.body[application/json]:removed": "breaking by rule",
      "request:sendNkiToUsers.body[application/*+json]:added": "compatible by rule",
    });
  });

  it("null allowed in a response field breaks readers; in a request field it is compatible (json-schema-diff)", async () => {
    expect(
      await classify((d) => Object.assign(schema(d, "OutgoingSms", "properties", "To"), { type: ["string", "null"] })),
    ).toEqual({
      "response:OutgoingSms.To:type": "breaking by json-schema-diff",
    });
    expect(
      await classify((d) => Object.assign(schema(d, "NkiUser", "properties", "Email"), { type: ["string", "null"] })),
    ).toEqual({
      "request:NkiUser.Email:type": "compatible by json-schema-diff",
    });
  });

  it("an enum added to a request field narrows it (a rule: json-schema-diff ignores enum)", async () => {
    expect(
      await classify((d) => Object.assign(schema(d, "NkiSendRequest", "properties", "From"), { enum: ["Acme"] })),
    ).toEqual({
      "request:NkiSendRequest.From:enum": "breaking by rule",
    });
  });

  it("a response header and a removed server are reported (openapi-diff for the header, a rule for the server)", async () => {
    const changes = await classify((d) => {
      send(d, "responses", "200").headers = {
        "X-Request-Id": { description: "Request id", schema: { type: "string" } },
      };
      d.servers = [{ url: "https://api2.ip1sms.com" }];
    });
    expect(changes).toEqual({
      "response:sendNkiToUsers.200.headers.X-Request-Id:added": "compatible by openapi-diff",
      "servers:https://api.ip1sms.com:removed": "breaking by rule",
      "servers:https://api2.ip1sms.com:added": "compatible by rule",
    });
  });

  it("reports a breaking body verdict of openapi-diff that no field-level change explains, and only then", () => {
    const where = `POST ${SEND} request body`;
    const changes = new ChangeList();
    addUnexplainedFindings(
      [
        { where, breaking: true, difference: { type: "object" } },
        { where: "elsewhere", breaking: false, difference: {} },
      ],
      changes,
    );
    expect(changes.sorted().map(({ id, severity, classifiedBy }) => `${id} ${severity} ${classifiedBy}`)).toEqual([
      `body:${where}:openapi-diff breaking openapi-diff`,
    ]);
    const explained = new ChangeList();
    explained.add({
      id: "request:X:required",
      severity: "breaking",
      kind: "changed",
      subject: "X",
      change: "",
      why: "",
      where: [where],
      classifiedBy: "json-schema-diff",
    });
    addUnexplainedFindings([{ where, breaking: true, difference: {} }], explained);
    expect(explained.sorted().map(({ id }) => id)).toEqual(["request:X:required"]);
  });
});

describe("the OpenAPI 3.0.3 copy for openapi-diff", () => {
  it("spells our 3.1 features the 3.0 way, closes request bodies, and openapi-diff reads it", async () => {
    const copy = toOpenApi30(bundledSpec);
    expect(copy.openapi).toBe("3.0.3");
    expect(at(copy, "info", "license")).toEqual({ name: "MIT" });
    expect(at(copy, "info").summary).toBeUndefined();
    expect(schema(copy, "OutgoingSms").example).toEqual(asArray(schema(bundledSpec, "OutgoingSms").examples)[0]);
    expect(schema(copy, "OutgoingSms").examples).toBeUndefined();
    const requestSchema = send(copy, "requestBody", "content", "application/json", "schema");
    expect(requestSchema.additionalProperties).toBe(false);
    expect(at(requestSchema, "properties", "Users", "items").additionalProperties).toBe(false);
    expect(schema(copy, "OutgoingSms").additionalProperties).toBeUndefined();
    expect(JSON.stringify(bundledSpec)).not.toBe(JSON.stringify(copy));

    const openapiDiff = createRequire(import.meta.url)("openapi-diff");
    const spec = { content: JSON.stringify(copy), location: "copy", format: "openapi3" };
    const outcome = await openapiDiff.diffSpecs({ sourceSpec: spec, destinationSpec: spec });
    expect(outcome.breakingDifferencesFound).toBe(false);
  });

  it("maps a nullable type, and refuses what 3.0 cannot say, naming where it is", () => {
    const document = structuredClone(bundledSpec);
    schema(document, "OutgoingSms", "properties", "CountryCode").type = ["string", "null"];
    expect(toOpenApi30(document)).toMatchObject({
      components: { schemas: { OutgoingSms: { properties: { CountryCode: { type: "string", nullable: true } } } } },
    });
    schema(document, "OutgoingSms", "properties", "Segments").exclusiveMinimum = 0;
    expect(() => toOpenApi30(document)).toThrow(
      "#/components/schemas/OutgoingSms/properties/Segments/exclusiveMinimum",
    );
  });
});
