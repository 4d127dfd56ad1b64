import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The package imports itself by name ("ip1-nki", "ip1-nki/types"); in this repo that resolves to src/.
    conditions: ["ip1-nki-source"],
  },
  // Tests run in Vite's SSR environment, which takes its resolve conditions from here, not from `resolve`.
  ssr: { resolve: { conditions: ["ip1-nki-source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
