// Each spec mutation (test/fixtures/spec-mutations/*.yaml) is applied to a copy of the project, bundled and turned
// into types by the pipeline's functions, and diffed against the real spec; then test/consumer is compiled in every
// copy against that copy's types (one tsc run for all).
// A breaking mutation must be caught by the diff and by the compile, unless its fixture says why only the diff can;
// a compatible one must pass both.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiChange } from "../../scripts/api-diff/changes.js";
import { findApiChanges } from "../../scripts/api-diff/classify.js";
import { loadSpecConfig } from "../../scripts/lib/project.js";
import { bundleSpec } from "../../scripts/pipeline/bundle.js";
import { compileConsumers } from "./support/compile-consumer.js";
import { applyMutation, loadMutations } from "./support/spec-mutation.js";

const mutations = loadMutations();
const outcomes = new Map<string, { changes: ApiChange[]; compileErrors: string }>();
const workDir = mkdtempSync(join(tmpdir(), "ip1-nki-mutations-"));

beforeAll(async () => {
  const config = await loadSpecConfig();
  const { document: base } = await bundleSpec(config);
  const copies = new Map<string, ApiChange[]>();
  for (const mutation of mutations) {
    const copy = join(workDir, mutation.name);
    const document = await applyMutation(mutation, copy, config);
    copies.set(copy, await findApiChanges(base, document));
  }
  const compileErrors = await compileConsumers([...copies.keys()], workDir);
  for (const [copy, changes] of copies) {
    outcomes.set(copy.split("/").at(-1) ?? "", { changes, compileErrors: compileErrors.get(copy) ?? "" });
  }
}, 120_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("spec mutations: the diff and the consumer compile agree", () => {
  it("covers breaking and compatible mutations, and the ones only the diff can catch", () => {
    const breaking = mutations.filter((m) => Object.values(m.expect.changes).includes("breaking"));
    expect(breaking.length).toBeGreaterThanOrEqual(10);
    expect(mutations.length - breaking.length).toBeGreaterThanOrEqual(8);
    expect(breaking.filter((m) => m.expect.onlyTheDiffCatches).length).toBeGreaterThanOrEqual(2);
  });

  it.each(mutations)("$name: $title", (mutation) => {
    const outcome = outcomes.get(mutation.name);
    expect(outcome, "the mutation ran").toBeDefined();
    const { changes, compileErrors } = outcome as { changes: ApiChange[]; compileErrors: string };

    const reported = Object.fromEntries(changes.map((change) => [change.id, change.severity]));
    expect(reported).toEqual(mutation.expect.changes);
    for (const change of changes) {
      expect(change.where.length, `${change.id} names where it is`).toBeGreaterThan(0);
      expect(change.change, `${change.id} says what changed`).not.toBe("");
    }

    const isBreaking = changes.some((change) => change.severity === "breaking");
    if (!isBreaking || mutation.expect.onlyTheDiffCatches) {
      expect(mutation.expect.compile).toBe("passes");
      expect(compileErrors).toBe("");
    } else {
      expect(mutation.expect.compile).toBe("fails");
      expect(compileErrors).toMatch(/error TS\d+/);
      expect(compileErrors).toContain(mutation.expect.compileError ?? "(the fixture must name the expected error)");
    }
  });
});
