// Classification rules the spec-mutation fixtures do not reach, on in-memory edits of the real bundle.
import { describe, expect, it } from "vitest";
import { findApiChanges } from "../../scripts/api-diff/classify.js";
import type { JsonObject } from "../../scripts/lib/openapi-refs.js";
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

  it("null allowed in a response field breaks readers; in a request field it is compatible", async () => {
    expect(
      await classify((d) => Object.assign(schema(d, "OutgoingSms", "properties", "To"), { type: ["string", "null"] })),
    ).toEqual({
      "response:OutgoingSms.To:type": "breaking by rule",
    });
    expect(
      await classify((d) => Object.assign(schema(d, "NkiUser", "properties", "Email"), { type: ["string", "null"] })),
    ).toEqual({
      "request:NkiUser.Email:type": "compatible by rule",
    });
  });

  it("integer → number widens (breaks a response), number → integer narrows (breaks a request)", async () => {
    expect(
      await classify((d) => Object.assign(schema(d, "OutgoingSms", "properties", "Segments"), { type: "number" })),
    ).toEqual({ "response:OutgoingSms.Segments:type": "breaking by rule" });
    expect(
      await classify((d) => Object.assign(schema(d, "OutgoingSms", "properties", "Price"), { type: "integer" })),
    ).toEqual({ "response:OutgoingSms.Price:type": "compatible by rule" });
  });

  it("an enum added to a response field narrows its type to a literal union: breaking (Status === 11 stops compiling)", async () => {
    expect(
      await classify((d) =>
        Object.assign(schema(d, "OutgoingSms", "properties", "Status"), { enum: [0, 21, 22, 42, 51, 52] }),
      ),
    ).toEqual({ "response:OutgoingSms.Status:enum": "breaking by rule" });
  });

  it("a composed schema goes to json-schema-diff: anyOf widened breaks a response, and widens a request", async () => {
    const anyOf = (types: string[]) => ({ type: undefined, anyOf: types.map((type) => ({ type })) });
    const response = await classify((d) => {
      const to = schema(d, "OutgoingSms", "properties", "To");
      Object.assign(to, anyOf(["string"]));
    });
    expect(response).toEqual({ "response:OutgoingSms.To:type": "breaking by rule" });
    const base = structuredClone(bundledSpec) as JsonObject;
    Object.assign(schema(base, "NkiUser", "properties", "Extra"), anyOf(["string"]));
    const current = structuredClone(base);
    Object.assign(schema(current, "NkiUser", "properties", "Extra"), anyOf(["string", "integer"]));
    const changes = await findApiChanges(base, current);
    expect(changes.map(({ id, severity, classifiedBy }) => `${id} ${severity} ${classifiedBy}`)).toEqual([
      "request:NkiUser.Extra:anyOf compatible json-schema-diff",
    ]);
    const narrowed = await findApiChanges(current, base);
    expect(narrowed.map(({ id, severity, classifiedBy }) => `${id} ${severity} ${classifiedBy}`)).toEqual([
      "request:NkiUser.Extra:anyOf breaking json-schema-diff",
    ]);
  });

  it("an enum added to a request field narrows it", async () => {
    expect(
      await classify((d) => Object.assign(schema(d, "NkiSendRequest", "properties", "From"), { enum: ["Acme"] })),
    ).toEqual({
      "request:NkiSendRequest.From:enum": "breaking by rule",
    });
  });

  it("a response header and a removed server are reported", async () => {
    const changes = await classify((d) => {
      send(d, "responses", "200").headers = {
        "X-Request-Id": { description: "Request id", schema: { type: "string" } },
      };
      d.servers = [{ url: "https://api2.ip1sms.com" }];
    });
    expect(changes).toEqual({
      "response:sendNkiToUsers.200.headers.X-Request-Id:added": "compatible by rule",
      "servers:https://api.ip1sms.com:removed": "breaking by rule",
      "servers:https://api2.ip1sms.com:added": "compatible by rule",
    });
  });

  it("a required response header removed breaks readers; an optional one does not; a status removed breaks", async () => {
    const header = (required: boolean) => ({ "X-Request-Id": { required, schema: { type: "string" } } });
    const base = structuredClone(bundledSpec) as JsonObject;
    send(base, "responses", "200").headers = { ...header(true) };
    const current = structuredClone(bundledSpec) as JsonObject;
    delete send(current, "responses")["403"];
    const changes = await findApiChanges(base, current);
    expect(Object.fromEntries(changes.map(({ id, severity }) => [id, severity]))).toEqual({
      "response:sendNkiToUsers.200.headers.X-Request-Id:removed": "breaking",
      "response:sendNkiToUsers.403:removed": "breaking",
    });
    send(base, "responses", "200").headers = { ...header(false) };
    const optional = await findApiChanges(base, structuredClone(bundledSpec) as JsonObject);
    expect(optional.map(({ id, severity }) => `${id} ${severity}`)).toEqual([
      "response:sendNkiToUsers.200.headers.X-Request-Id:removed compatible",
    ]);
  });
});
