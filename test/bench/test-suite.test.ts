// What the suite's bench reads from `npm test`'s output: vitest's Duration, and why a run failed (the failed test
// and its error, which the bench's table keeps; a title alone left a failure under load unexplained).
import { describe, expect, it } from "vitest";
import { failure } from "../../bench/lib/command.js";
import { vitestDuration } from "../../bench/test-suite.js";

const red = (text: string) => `\x1b[41m\x1b[1m${text}\x1b[22m\x1b[49m`;
// As vitest prints them: the summary to stdout, the failed tests' details to stderr.
const summary = [
  ` \x1b[31m×\x1b[39m typechecks again after an edit under src/ \x1b[33m60055ms\x1b[39m`,
  "   Duration  108.62s (transform 8.71s, setup 1.47s)",
].join("\n");
const details = [
  `${red(" FAIL ")} test/pipeline/watch.test.ts > pipeline --watch > typechecks again after an edit under src/`,
  "\x1b[31m\x1b[1mError\x1b[22m: Test timed out in 60000ms.",
  "If this is a long-running test, pass a timeout value as the last argument.",
].join("\n");

describe("the suite bench's reading of npm test", () => {
  it("names the failed test and its error, without colour codes", () => {
    expect(failure({ code: 1, stdout: summary, stderr: details, ms: 1 })).toBe(
      "exit 1: test/pipeline/watch.test.ts > pipeline --watch > typechecks again after an edit under src/: " +
        "Error: Test timed out in 60000ms.",
    );
  });

  it("falls back to the first line of the output when no test failed (biome, the typecheck)", () => {
    expect(failure({ code: 1, stdout: "", stderr: "typecheck: 2 errors\nsrc/a.ts(1,1): error", ms: 1 })).toBe(
      "exit 1: typecheck: 2 errors",
    );
  });

  it("reads vitest's Duration in ms", () => {
    expect(vitestDuration(summary)).toBe(108_620);
    expect(vitestDuration("Duration 850ms")).toBe(850);
  });
});
