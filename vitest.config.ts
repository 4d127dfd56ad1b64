import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The package imports itself by name ("ip1-nki", "ip1-nki/types"); in this repo that resolves to src/. The
    // condition's name is the package's own, so no other project's conditions can ever select our unpublished src/.
    conditions: ["ip1-nki-source"],
  },
  // Tests run in Vite's SSR environment, which takes its resolve conditions from here, not from `resolve`.
  ssr: { resolve: { conditions: ["ip1-nki-source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    // Many test files wait on sockets and child processes (Prism, the CLI, tsc): four workers on two cores overlap
    // those waits. Six were not clearly faster (a few % in some runs, slower in others), and beside busy processes
    // brought test/pipeline/cache.test.ts's cold run near its hook timeout; bench/RESULTS.md has the suite's time.
    maxWorkers: 4,
    // Processes, not worker threads (20% less CPU, measured): a thread gets no signals, so a Ctrl-C would orphan the
    // children a test started. test/support/processes.test.ts proves the Ctrl-C cleanup in this pool.
    pool: "forks",
    // A worker runs its test files one after another in one module graph, instead of loading and compiling the
    // library, vitest and the support modules again for every file (a third of the suite's CPU; bench/RESULTS.md has
    // the suite's time). Test files hold no state in shared modules; per-file cleanups go through test/file-setup.ts,
    // which runs before every file (test/support/each-file.ts says why).
    isolate: false,
    setupFiles: ["test/file-setup.ts"],
    // Transformed modules kept in node_modules/.experimental-vitest-cache between runs, instead of a copy per run in the
    // temp folder, which vitest 4 never removes (vitest-dev/vitest#11224: one folder per run).
    experimental: { fsModuleCache: true },
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
