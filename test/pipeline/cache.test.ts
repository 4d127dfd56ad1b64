// The pipeline's one cache key: every input it names changes the key; a run with nothing to do writes nothing and
// loads no library (it passes in a copy whose node_modules lacks them); `--check` stays exact with a warm cache.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";
import { copyProject, npmScript, type ProjectCopy } from "../support/project-copy.js";

type CacheModule = typeof import("../../scripts/pipeline/cache.js");

/** The libraries the steps load; a no-op needs none of them. */
const LIBRARIES = ["@redocly/openapi-core", "openapi-typescript", "typescript", "ajv"];

let warm: ProjectCopy;
let cache: CacheModule;
const copies: ProjectCopy[] = [];
const pipeline = (copy: ProjectCopy, ...args: string[]) => run(...npmScript("pipeline", args), { cwd: copy.dir });

beforeAll(async () => {
  warm = copyProject("ip1-nki-cache-");
  copies.push(warm);
  const first = await pipeline(warm);
  expect(first.code, first.stderr).toBe(0);
  // The copy's own cache.ts, so its root is the copy's.
  cache = (await import(warm.path("scripts/pipeline/cache.ts"))) as CacheModule;
}, WHOLE_TOOL_TIMEOUT_MS);

afterAll(() => {
  for (const copy of copies) copy.remove();
});

describe("the pipeline's cache key", () => {
  const edits: [string, string][] = [
    ["a spec file", "spec/components/schemas/NkiUser.yaml"],
    ["redocly.yaml", "redocly.yaml"],
    ["a step", "scripts/pipeline/types.ts"],
    ["the ground floor", "scripts/lib/openapi-refs.ts"],
    ["package.json", "package.json"],
    ["package-lock.json", "package-lock.json"],
  ];
  it.each(edits)("changes with %s (%s)", (_what, file) => {
    const before = cache.runKey();
    const text = warm.read(file);
    warm.write(file, `${text}\n`);
    try {
      expect(cache.runKey()).not.toBe(before);
    } finally {
      warm.write(file, text);
    }
    expect(cache.runKey()).toBe(before);
  });

  it("changes with a new file under spec/, and with the Node major", () => {
    const before = cache.runKey();
    expect(cache.runKey("99")).not.toBe(before);
    warm.write("spec/new.yaml", "x: 1\n");
    try {
      expect(cache.runKey()).not.toBe(before);
    } finally {
      rmSync(warm.path("spec/new.yaml"));
    }
  });
});

describe("a run with nothing to do", { timeout: WHOLE_TOOL_TIMEOUT_MS }, () => {
  it("does nothing, and needs none of the libraries", async () => {
    const bare = copyProject("ip1-nki-cache-bare-", { without: LIBRARIES });
    copies.push(bare);
    mkdirSync(dirname(bare.path(cache.CACHE_FILE)), { recursive: true });
    copyFileSync(warm.path(cache.CACHE_FILE), bare.path(cache.CACHE_FILE));

    const noop = await pipeline(bare);
    expect(noop.code, noop.stderr).toBe(0);
    expect(noop.stdout).toContain("nothing to do");
    expect((await pipeline(bare, "--check")).code).toBe(0);

    // The libraries really are missing: a run with something to do fails for want of them.
    bare.edit("spec/components/schemas/NkiUser.yaml", "maxLength: 16", "maxLength: 15");
    const edited = await pipeline(bare);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/Cannot find module '@redocly\/openapi-core'/);
  });
});

describe("--check with a warm cache", { timeout: WHOLE_TOOL_TIMEOUT_MS }, () => {
  it("still names a generated file edited by hand, and a plain run writes it back", async () => {
    const committed = warm.read("generated/validators.d.ts");
    warm.write("generated/validators.d.ts", `${committed}// edited by hand\n`);

    const check = await pipeline(warm, "--check");
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("generated/validators.d.ts");
    expect(check.stderr).not.toContain("generated/openapi.json");

    const fixed = await pipeline(warm, "--quiet");
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(warm.read("generated/validators.d.ts")).toBe(committed);
    expect((await pipeline(warm)).stdout).toContain("nothing to do");
  });
});
