// The gate on the real spec, in `npm test`: generated/openapi.json against the released baseline. It fails on a
// breaking change that is neither acknowledged nor announced by the version, and when CHANGELOG-API.md lacks the
// generated section for the changes; each failure message is the report, which says what to do.
import { beforeAll, describe, expect, it } from "vitest";
import { diffApi } from "../../scripts/api-diff/main.js";
import { type ApiDiffResult, CHANGELOG_FILE, formatReport, updateChangelog } from "../../scripts/api-diff/report.js";
import { readText } from "../../scripts/lib/project.js";

describe("the breaking-change gate on the real spec", () => {
  let result: ApiDiffResult;
  beforeAll(async () => {
    result = await diffApi();
  });

  it("passes: nothing breaking since the baseline, or acknowledged, or announced by the version", () => {
    expect(result.base.file).toMatch(/^spec\/releases\/\d+\.\d+\.\d+.*\.json$/);
    expect(result.gate.passed, formatReport(result)).toBe(true);
  });

  it(`finds ${CHANGELOG_FILE} up to date with the changes since the baseline`, () => {
    const changelog = readText(CHANGELOG_FILE);
    const hint = `${CHANGELOG_FILE} is out of date: run \`npm run api:diff -- --changelog\`.\n\n${formatReport(result)}`;
    expect(updateChangelog(changelog, result) === changelog, hint).toBe(true);
  });
});
