// Which variant of a comparison goes first in each run: a wrong rotation would favour one side.
import { describe, expect, it } from "vitest";
import { inTurn } from "../../bench/lib/in-turn.js";

describe("inTurn", () => {
  it("alternates two variants", () => {
    expect([1, 2, 3].map((run) => inTurn(run, ["ours", "chain"]))).toEqual([
      ["ours", "chain"],
      ["chain", "ours"],
      ["ours", "chain"],
    ]);
  });

  it("rotates three, each first once every three runs", () => {
    expect([1, 2, 3, 4].map((run) => inTurn(run, ["a", "b", "c"]).join(""))).toEqual(["abc", "bca", "cab", "abc"]);
  });

  it("runs nothing when there is nothing to compare", () => {
    expect(inTurn(2, [])).toEqual([]);
  });
});
