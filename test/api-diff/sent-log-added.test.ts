// Adding IP1's sent log (three GET operations, the LoggedOutgoingSms schema and its 401 response) is compatible for
// consumers: api:diff, comparing the spec without them to the spec with them, finds the operations and the exported
// types added and nothing breaking; and CHANGELOG-API.md lists the operations under "Added".
import { describe, expect, it } from "vitest";
import { findApiChanges } from "../../scripts/api-diff/classify.js";
import type { JsonObject } from "../../scripts/lib/openapi-refs.js";
import { readText } from "../../scripts/lib/project.js";
import { bundledSpec } from "../support/spec.js";

const SENT_LOG_PATHS = ["/api/sms/sent", "/api/sms/sent/{id}", "/api/sms/sent/bundle/{bundle}"];

/** The bundle as it was before the sent log: its paths, schema, response and tag removed. */
function withoutSentLog(): JsonObject {
  const before = structuredClone(bundledSpec) as JsonObject & {
    paths: JsonObject;
    components: { schemas: JsonObject; responses: JsonObject };
    tags: { name: string }[];
  };
  for (const path of SENT_LOG_PATHS) delete before.paths[path];
  delete before.components.schemas.LoggedOutgoingSms;
  delete before.components.responses.SentLogUnauthorized;
  before.tags = before.tags.filter((tag) => tag.name !== "Sent log");
  return before;
}

describe("the sent log, added", () => {
  it("is three operations added and nothing breaking", async () => {
    const changes = await findApiChanges(withoutSentLog(), bundledSpec);
    const severities = Object.fromEntries(changes.map((change) => [change.id, change.severity]));
    for (const path of SENT_LOG_PATHS) expect(severities[`operation:GET ${path}:added`], path).toBe("compatible");
    expect(changes.filter((change) => change.severity === "breaking")).toEqual([]);
    expect(changes.every((change) => change.kind === "added")).toBe(true);
  });

  it("is listed under Added in CHANGELOG-API.md", () => {
    const changelog = readText("CHANGELOG-API.md");
    const added = changelog.slice(changelog.indexOf("### Added"), changelog.indexOf("### Changed"));
    for (const path of SENT_LOG_PATHS) expect(added).toContain(`- \`GET ${path}\`: operation added`);
  });
});
