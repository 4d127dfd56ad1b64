// Test files share a worker's modules (isolate: false in vitest.config.ts), so a hook a support module registers at
// its top level would serve only the first file that imports it, and whatever it cleans up would leak from the rest.
// Support modules register per-file cleanups with afterEachFile and afterEachTest (./each-file.ts) instead.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const testDir = fileURLToPath(new URL("../", import.meta.url));
const setupFile = join(testDir, "file-setup.ts");

it("no support module registers a vitest hook at its top level", () => {
  const supportModules = readdirSync(testDir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts") && !/\.(test|fixture)\.ts$/.test(name) && !name.startsWith("fixtures/"))
    .map((name) => join(testDir, name))
    .filter((file) => file !== setupFile);
  expect(supportModules.length).toBeGreaterThan(10);
  const topLevelHooks = supportModules.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => /^(beforeAll|afterAll|beforeEach|afterEach)\(/.test(line))
      .map((line) => `${relative(testDir, file)}: ${line}`),
  );
  expect(
    topLevelHooks,
    "register per-file cleanups with afterEachFile/afterEachTest (test/support/each-file.ts)",
  ).toEqual([]);
});
