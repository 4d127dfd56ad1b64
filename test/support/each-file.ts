// Cleanups a support module owes every test file (and every test) that uses it. Vitest runs test files without
// isolation (vitest.config.ts), so a support module is evaluated once per worker, and a hook it registered at its top
// level would serve only the first file. It registers here instead, and test/file-setup.ts, which vitest runs before
// every test file, hooks them into that file: after each test, and after the file's last test, in reverse order of
// registration (as vitest runs after-hooks).
export type Cleanup = () => unknown;
export const cleanups: { afterEachTest: Cleanup[]; afterEachFile: Cleanup[] } = {
  afterEachTest: [],
  afterEachFile: [],
};

/** Runs `cleanup` after every test of every file that imports the caller. */
export function afterEachTest(cleanup: Cleanup): void {
  cleanups.afterEachTest.push(cleanup);
}

/** Runs `cleanup` after the last test of every file that imports the caller. */
export function afterEachFile(cleanup: Cleanup): void {
  cleanups.afterEachFile.push(cleanup);
}
