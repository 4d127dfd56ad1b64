// Run by vitest before every test file (setupFiles): the support modules' cleanups, for this file (see
// test/support/each-file.ts). Each runs even when one before it fails; the first failure is then thrown. And, for
// the bench, what each file costs (test/support/file-usage.ts).
import { afterAll, afterEach } from "vitest";
import { type Cleanup, cleanups } from "./support/each-file.js";
import { recordFileUsage } from "./support/file-usage.js";

async function runAll(hooks: readonly Cleanup[]) {
  const failures: unknown[] = [];
  for (const hook of hooks.toReversed()) {
    try {
      await hook();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length) throw failures[0];
}

// First, so that its after-hook runs last: the processes the cleanups stop count as the file's.
if (process.env.IP1_NKI_FILE_USAGE) recordFileUsage(process.env.IP1_NKI_FILE_USAGE);
afterEach(() => runAll(cleanups.afterEachTest));
afterAll(() => runAll(cleanups.afterEachFile));
