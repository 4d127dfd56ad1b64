// `npm run pipeline`'s one cache key and `--check`, on a copy of the project (the work tree is never touched):
// every input the key names changes it; a run with nothing to do writes nothing and loads no library (it passes in a
// copy whose node_modules lacks them); `--check` regenerates in memory and names each stale file, with or without a
// warm cache, and writes nothing. The copy's own modules are imported, so their root is the copy's and the libraries
// load once for the file.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";
import { copyProject, npmScript, type ProjectCopy } from "../support/project-copy.js";

type CacheModule = typeof import("../../scripts/pipeline/cache.mjs");
type MainModule = typeof import("../../scripts/pipeline/main.js");

/** The libraries the steps load; a no-op needs none of them. */
const LIBRARIES = ["@redocly/openapi-core", "openapi-typescript", "typescript", "ajv"];

let copy: ProjectCopy;
let cache: CacheModule;
let pipeline: MainModule["runPipeline"];
const copies: ProjectCopy[] = [];

beforeAll(async () => {
  copy = copyProject("ip1-nki-cache-");
  copies.push(copy);
  cache = (await import(copy.path("scripts/pipeline/cache.mjs"))) as CacheModule;
  pipeline = ((await import(copy.path("scripts/pipeline/main.ts"))) as MainModule).runPipeline;
  const first = await pipeline();
  expect(first).toMatchObject({ upToDate: false, changed: [] });
}, WHOLE_TOOL_TIMEOUT_MS);

afterAll(() => {
  for (const each of copies) each.remove();
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
    const text = copy.read(file);
    copy.write(file, `${text}\n`);
    try {
      expect(cache.runKey()).not.toBe(before);
    } finally {
      copy.write(file, text);
    }
    expect(cache.runKey()).toBe(before);
  });

  it("changes with a new file under spec/, and with the Node major", () => {
    const before = cache.runKey();
    expect(cache.runKey("99")).not.toBe(before);
    copy.write("spec/new.yaml", "x: 1\n");
    try {
      expect(cache.runKey()).not.toBe(before);
    } finally {
      rmSync(copy.path("spec/new.yaml"));
    }
  });
});

describe("a run with nothing to do", { timeout: WHOLE_TOOL_TIMEOUT_MS }, () => {
  it("does nothing, even as its own process in a copy without the libraries or tsx", async () => {
    expect(await pipeline()).toEqual({ upToDate: true, changed: [], timings: [] });

    const bare = copyProject("ip1-nki-cache-bare-", { without: [...LIBRARIES, "tsx"] });
    copies.push(bare);
    mkdirSync(dirname(bare.path(cache.CACHE_FILE)), { recursive: true });
    copyFileSync(copy.path(cache.CACHE_FILE), bare.path(cache.CACHE_FILE));
    const inBare = (...args: string[]) => run(...npmScript("pipeline", args), { cwd: bare.dir });
    const noop = await inBare();
    expect(noop.code, noop.stderr).toBe(0);
    expect(noop.stdout).toContain("nothing to do");

    // They really are missing: a run with something to do fails for want of tsx, the first thing it loads.
    bare.edit("spec/components/schemas/NkiUser.yaml", "maxLength: 16", "maxLength: 15");
    const edited = await inBare("--check");
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/Cannot find package 'tsx'/);
  });
});

describe("--check", { timeout: WHOLE_TOOL_TIMEOUT_MS }, () => {
  it("names a generated file edited by hand even with a warm cache, writes nothing, and a run writes it back", async () => {
    const committed = copy.read("generated/validators.d.ts");
    const edited = `${committed}// edited by hand\n`;
    copy.write("generated/validators.d.ts", edited);

    expect(await pipeline({ check: true })).toMatchObject({ changed: ["generated/validators.d.ts"] });
    expect(copy.read("generated/validators.d.ts")).toBe(edited);

    expect(await pipeline()).toMatchObject({ upToDate: false, changed: ["generated/validators.d.ts"] });
    expect(copy.read("generated/validators.d.ts")).toBe(committed);
  });

  it("names every output a spec edit changes, when the spec was edited without regenerating", async () => {
    const spec = copy.read("spec/components/schemas/NkiUser.yaml");
    const bundle = copy.read("generated/openapi.json");
    copy.edit("spec/components/schemas/NkiUser.yaml", "maxLength: 16", "maxLength: 15");
    try {
      const { changed } = await pipeline({ check: true });
      expect(changed).toEqual(expect.arrayContaining(["generated/openapi.json", "generated/validators.js"]));
      expect(changed).not.toContain("generated/version.js");
      expect(copy.read("generated/openapi.json")).toBe(bundle);
    } finally {
      copy.write("spec/components/schemas/NkiUser.yaml", spec);
    }
  });

  it("fails as a command, naming the stale file on stderr", async () => {
    copy.write("generated/version.d.ts", "// edited by hand\n");
    const check = await run(...npmScript("pipeline", ["--check"]), { cwd: copy.dir });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("generated/ is stale: generated/version.d.ts");
  });
});
