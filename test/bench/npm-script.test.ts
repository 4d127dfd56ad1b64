// The command a test or the bench runs for `npm run <name>` is package.json's, run by this Node without a shell.
import { describe, expect, it } from "vitest";
import { packageFile } from "../../scripts/lib/run-node.js";
import { commandOf } from "../support/npm-script.js";

describe("commandOf", () => {
  it("runs tsx's CLI, or the node command, with this Node", () => {
    expect(commandOf("pipeline", "tsx scripts/pipeline/main.ts --check")).toEqual([
      process.execPath,
      [packageFile("tsx", "dist/cli.mjs"), "scripts/pipeline/main.ts", "--check"],
    ]);
    expect(commandOf("x", "  node  --import tsx scripts/x.ts ")).toEqual([
      process.execPath,
      ["--import", "tsx", "scripts/x.ts"],
    ]);
  });

  it("refuses a command that needs a shell or another program", () => {
    expect(() => commandOf("test", "biome check && vitest run")).toThrow(/needs a shell/);
    expect(() => commandOf("x", "npx tsx scripts/x.ts")).toThrow(/must be `tsx/);
  });
});
