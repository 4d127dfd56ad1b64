// The pipeline benchmark's reading of the pipeline's printed summary, and the split of its wall time.
import { describe, expect, it } from "vitest";
import { cachedSteps, generationMs, parseSteps, restMs } from "../../bench/lib/pipeline-output.js";

const COLD = `pipeline: 1146 ms wall
  config          22 ms
  lint           773 ms
  bundle          24 ms
  version         25 ms
  validators     116 ms
  types          197 ms
  typecheck      934 ms
changed:
  (none)
`;

const NO_OP = `pipeline: 103 ms wall
  lint           cached
  typecheck      cached
changed:
  (none)
`;

describe("pipeline summary", () => {
  it("reads each timed step and leaves out cached ones", () => {
    expect(parseSteps(COLD)).toEqual({
      config: 22,
      lint: 773,
      bundle: 24,
      version: 25,
      validators: 116,
      types: 197,
      typecheck: 934,
    });
    expect(parseSteps(NO_OP)).toEqual({});
    expect(cachedSteps(NO_OP)).toEqual(["lint", "typecheck"]);
  });

  it("adds config and bundle, then the longest of the steps that run side by side", () => {
    expect(generationMs(parseSteps(COLD))).toBe(22 + 24 + 773);
  });

  it("takes the rest from the longer of generation and the typecheck that runs alongside it", () => {
    expect(restMs(1146, parseSteps(COLD))).toBe(1146 - 934);
    expect(restMs(1146, { lint: 100, typecheck: 900 })).toBe(246);
  });
});
