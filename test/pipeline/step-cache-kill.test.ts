// The step cache under kill -9: a pipeline killed at a seeded moment (loading, generating, writing generated/ or a
// cache entry) must never leave a cache that stands in for a wrong output. After each kill, a plain run must leave
// exactly what a run with no cache at all accepts, and a --check that uses the cache must agree.
import { readdirSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STEP_CACHE as CACHE } from "../../scripts/lib/step-cache.js";
import { seededRandom } from "../../src/mock/seeded-random.js";
import { run, start, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";
import { copyProject, npmScript, type ProjectCopy } from "../support/project-copy.js";

/** KILL_TRIALS=40 for a longer attack; the suite runs 4. */
const TRIALS = Number(process.env.KILL_TRIALS ?? 4);
let copy: ProjectCopy;

const pipeline = (...args: string[]) => run(...npmScript("pipeline", args), { cwd: copy.dir });

beforeAll(() => {
  copy = copyProject("ip1-nki-step-cache-kill-");
});

afterAll(() => copy?.remove());

describe("pipeline step cache under kill -9", { timeout: WHOLE_TOOL_TIMEOUT_MS + TRIALS * 15_000 }, () => {
  it(`after ${TRIALS} runs killed at seeded moments, what is on disk and in the cache is right`, async () => {
    const random = seededRandom(15);
    let killedMidRun = 0;
    for (let trial = 1; trial <= TRIALS; trial++) {
      // A new value each time, so the killed run has real work: every generation step, and writes to generated/.
      const before = copy.read("spec/components/schemas/NkiUser.yaml");
      copy.write("spec/components/schemas/NkiUser.yaml", before.replace(/maxLength: \d+/, `maxLength: ${200 + trial}`));
      const victim = start(...npmScript("pipeline"), { cwd: copy.dir });
      // The attack's timing, not a wait for readiness: anywhere from start-up to the last write.
      await new Promise((resolve) => setTimeout(resolve, 30 + Math.floor(random() * 1200)));
      if (victim.child.exitCode === null) process.kill(-victim.pid, "SIGKILL"); // the group: tsgo and all
      const killed = await victim.exited;
      if (killed.signal === "SIGKILL") killedMidRun++;

      const recovered = await pipeline();
      expect(recovered.code, `trial ${trial} (${killed.signal ?? killed.code}): ${recovered.stderr}`).toBe(0);
      expect(copy.read("generated/openapi.json")).toContain(`"maxLength": ${200 + trial}`);
      const checked = await pipeline("--check"); // uses the cache, torn entries and all
      expect(checked.code, checked.stderr).toBe(0);
    }
    expect(killedMidRun, "the kills landed while the pipeline ran").toBeGreaterThanOrEqual(Math.ceil(TRIALS / 2));
    // Nothing the kills left in the cache is used: with no cache at all, the files on disk are still what the
    // pipeline makes.
    const entries = readdirSync(copy.path(CACHE)).filter((name) => name.endsWith(".json"));
    expect(entries.length).toBeGreaterThan(0);
    rmSync(copy.path(CACHE), { recursive: true, force: true });
    const fresh = await pipeline("--check");
    expect(fresh.code, fresh.stderr).toBe(0);
  });
});
