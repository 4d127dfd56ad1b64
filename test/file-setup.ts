// Run by vitest before every test file (setupFiles): the support modules' cleanups, for this file (see
// test/support/each-file.ts). Each runs even when one before it fails; the first failure is then thrown.
import { afterAll, afterEach } from "vitest";
import { type Cleanup, cleanups } from "./support/each-file.js";

async function runAll(hooks: readonly Cleanup[]) {
  const failures: unknown[] = [];
  for (const hook of hooks.toReversed())
    await Promise.resolve()
      .then(hook)
      .catch((error) => failures.push(error));
  if (failures.length) throw failures[0];
}

afterEach(() => runAll(cleanups.afterEachTest));
afterAll(() => runAll(cleanups.afterEachFile));
