// The benchmark harness's arithmetic: a wrong median or ratio would mislead every figure in bench/RESULTS.md.
import { describe, expect, it } from "vitest";
import { median, ratio, summarize } from "../../bench/lib/figures.js";

describe("bench stats", () => {
  it("takes the middle of an odd count, whatever the order", () => {
    expect(median([5, 1, 4, 2, 3])).toBe(3);
  });

  it("takes the mean of the two middle runs of an even count", () => {
    expect(median([10, 1, 4, 3])).toBe(3.5);
  });

  it("does not reorder the caller's samples", () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it("summarises median, min, max and the number of runs", () => {
    expect(summarize([120, 80, 100, 300, 90])).toEqual({ median: 100, min: 80, max: 300, runs: 5 });
  });

  it("refuses to summarise no runs", () => {
    expect(() => summarize([])).toThrow(/no samples/);
  });

  it("divides by the anchor, and has no ratio to a zero or missing anchor", () => {
    expect(ratio(30, 120)).toBe(0.25);
    expect(ratio(30, 0)).toBeUndefined();
    expect(ratio(30, undefined)).toBeUndefined();
  });
});
