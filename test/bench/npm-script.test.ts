// The bench runs what package.json says `npm run pipeline` runs: reading that command must be exact.
import { describe, expect, it } from "vitest";
import { nodeScriptArgs, underTsx } from "../support/npm-script.js";

describe("package.json node scripts", () => {
  it("takes the arguments after node", () => {
    expect(nodeScriptArgs("pipeline", "node scripts/run-ts.mjs scripts/pipeline.ts")).toEqual([
      "scripts/run-ts.mjs",
      "scripts/pipeline.ts",
    ]);
    expect(nodeScriptArgs("pipeline", "  node  --import tsx scripts/pipeline.ts ")).toEqual([
      "--import",
      "tsx",
      "scripts/pipeline.ts",
    ]);
  });

  it("refuses a command that is not node, or that needs a shell", () => {
    expect(() => nodeScriptArgs("pipeline", "tsx scripts/pipeline.ts")).toThrow(/must be `node/);
    expect(() => nodeScriptArgs("pipeline", "node")).toThrow(/must be `node/);
    expect(() => nodeScriptArgs("pipeline", "node a.mjs && node b.mjs")).toThrow(/needs a shell/);
    expect(() => nodeScriptArgs("pipeline", "FOO=1 node a.mjs")).toThrow(/must be `node/);
  });

  it("runs the same entry point and arguments under tsx", () => {
    expect(underTsx(["scripts/run-ts.mjs", "scripts/pipeline.ts", "--watch"])).toEqual([
      "--import",
      "tsx",
      "scripts/pipeline.ts",
      "--watch",
    ]);
    expect(() => underTsx(["scripts/run.mjs"])).toThrow(/No TypeScript entry point/);
  });
});
