// What openapi-diff decides, on a 3.0.3 copy of each document: added and removed operations, status codes and
// response headers, and a verdict on each request and response body as a whole. The body verdicts back up the
// field-level classification: a breaking body difference that no field-level change accounts for is reported as is.
import openapiDiff from "openapi-diff";
import type { ApiChange, ChangeList } from "./api-change.js";
import { toOpenApi30 } from "./openapi-30-copy.js";
import { asObject, inlineRefs, type JsonObject, operationsOf } from "./openapi-refs.js";

/** openapi-diff's verdict on one request or response body, for the back-up check. */
export interface BodyFinding {
  /** The place, as the field-level changes name it: `POST /path request body`, `POST /path 200 response`. */
  where: string;
  breaking: boolean;
  /** json-schema-diff's schema of the values added or removed. */
  difference: unknown;
}

export async function addOpenApiDiffChanges(
  base: JsonObject,
  current: JsonObject,
  changes: ChangeList,
): Promise<BodyFinding[]> {
  const [base30, current30] = [toOpenApi30(base), toOpenApi30(current)];
  dropUnchangedParts(base30, current30);
  const spec = (document: JsonObject, location: string) => ({
    content: JSON.stringify(document),
    location,
    format: "openapi3" as const,
  });
  const outcome = await openapiDiff
    .diffSpecs({ sourceSpec: spec(base30, "baseline"), destinationSpec: spec(current30, "current") })
    .catch((error: Error) => {
      throw new Error(`openapi-diff could not read the OpenAPI 3.0.3 copy: ${error.message}`);
    });
  const differences = [
    ...(outcome.breakingDifferencesFound ? outcome.breakingDifferences : []),
    ...outcome.nonBreakingDifferences,
    ...outcome.unclassifiedDifferences,
  ];
  const findings: BodyFinding[] = [];
  for (const difference of differences) {
    const breaking = difference.type === "breaking";
    const removed = difference.action === "remove";
    const entity = (removed ? difference.sourceSpecEntityDetails : difference.destinationSpecEntityDetails)[0];
    const place = parseLocation(removed ? base : current, entity?.location ?? "");
    const add = (change: Omit<ApiChange, "severity" | "classifiedBy" | "kind">) =>
      changes.add({
        ...change,
        kind: removed ? "removed" : "added",
        severity: breaking ? "breaking" : "compatible",
        classifiedBy: "openapi-diff",
      });
    const verb = removed ? "removed" : "added";
    switch (difference.entity) {
      case "path":
      case "method":
        for (const operation of place.operations) {
          add({
            id: `operation:${operation.label}:${verb}`,
            subject: operation.label,
            change: `operation ${operation.name} ${verb}`,
            why: removed ? "calls to it fail" : "nothing that worked stops working",
            where: [operation.label],
          });
        }
        break;
      case "response.status-code":
        add({
          id: `response:${place.name}.${place.status}:${verb}`,
          subject: `${place.name}.${place.status}`,
          change: `${place.status} response ${verb}`,
          why: removed
            ? "code written to handle it no longer matches the spec"
            : "clients already treat an undocumented status as an error",
          where: [`${place.label} ${place.status} response`],
        });
        break;
      case "response.required.header":
      case "response.optional.header":
        add({
          id: `response:${place.name}.${place.status}.headers.${place.header}:${verb}`,
          subject: `${place.name}.${place.status} header ${place.header}`,
          change: `${difference.entity === "response.required.header" ? "required" : "optional"} header ${verb}`,
          why: removed ? "clients that read it find nothing" : "clients that do not read it are unaffected",
          where: [`${place.label} ${place.status} response`],
        });
        break;
      case "request.body.scope":
      case "response.body.scope":
        findings.push({
          where:
            difference.entity === "request.body.scope"
              ? `${place.label} request body`
              : `${place.label} ${place.status} response`,
          breaking,
          difference: asObject(difference.details).differenceSchema,
        });
        break;
      default:
        // openapi-diff leaves `x-` extensions unclassified; clients do not read them.
        changes.add({
          id: `extension:${entity?.location}:${verb}`,
          kind: "changed",
          subject: String(entity?.location),
          change: `extension ${verb}`,
          why: "vendor extensions do not change what clients send or read",
          where: [String(entity?.location)],
          severity: "compatible",
          classifiedBy: "openapi-diff",
        });
    }
  }
  return findings;
}

/**
 * openapi-diff runs json-schema-diff on every request body and response the two documents share, and each run costs
 * tens of milliseconds (it builds a fresh Ajv to validate its input), changed or not. A request body or response that
 * is the same in both documents yields no difference, so it is left out of both copies: the same answer, sooner.
 * (An operation keeps one response, as OpenAPI requires.)
 */
function dropUnchangedParts(base: JsonObject, current: JsonObject): void {
  const currentOperations = operationsOf(current);
  for (const [key, before] of operationsOf(base)) {
    const after = currentOperations.get(key);
    if (!after) continue;
    const holders: Array<[JsonObject, JsonObject, string]> = [[before.operation, after.operation, "requestBody"]];
    const [oldResponses, newResponses] = [asObject(before.operation.responses), asObject(after.operation.responses)];
    for (const status of Object.keys(oldResponses)) holders.push([oldResponses, newResponses, status]);
    for (const [oldHolder, newHolder, part] of holders) {
      if (!(part in oldHolder) || !(part in newHolder)) continue;
      const last = Object.keys(oldResponses).length === 1 || Object.keys(newResponses).length === 1;
      if (oldHolder === oldResponses && last) continue;
      if (JSON.stringify(inlineRefs(base, oldHolder[part])) !== JSON.stringify(inlineRefs(current, newHolder[part])))
        continue;
      delete oldHolder[part];
      delete newHolder[part];
    }
  }
}

/** Adds, as its own breaking change, any breaking body verdict of openapi-diff that no field-level change explains. */
export function addUnexplainedFindings(findings: BodyFinding[], changes: ChangeList): void {
  for (const finding of findings) {
    if (!finding.breaking) continue;
    if (changes.has((change) => change.severity === "breaking" && change.where.includes(finding.where))) continue;
    changes.add({
      id: `body:${finding.where}:openapi-diff`,
      kind: "changed",
      subject: finding.where,
      change: `values ${finding.where.endsWith("request body") ? "no longer accepted" : "newly possible"}: ${JSON.stringify(finding.difference)}`,
      why: "openapi-diff finds this body changed in a way clients notice, and no field-level rule accounts for it",
      where: [finding.where],
      severity: "breaking",
      classifiedBy: "openapi-diff",
    });
  }
}

/** Reads an openapi-diff location such as `paths./api/x.post.responses.200.headers.X-Id`. */
function parseLocation(document: JsonObject, location: string) {
  const rest = location.replace(/^paths\./, "");
  const path = Object.keys(asObject(document.paths))
    .filter((candidate) => rest === candidate || rest.startsWith(`${candidate}.`))
    .sort((a, b) => b.length - a.length)[0];
  const [method, part, status, headers, header] = (path === undefined ? "" : rest.slice(path.length + 1)).split(".");
  const operations = [...operationsOf(document).values()].filter(
    (operation) => operation.path === path && (method === undefined || method === "" || operation.method === method),
  );
  const operation = operations[0];
  return {
    operations,
    label: operation?.label ?? location,
    name: operation?.name ?? location,
    status: part === "responses" ? status : undefined,
    header: headers === "headers" ? header : undefined,
  };
}
