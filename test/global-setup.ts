// One real Prism mock for the whole suite, on generated/openapi.json. It is not waited for here, so the files that do
// not use it start at once; the files that do wait for it to answer: `await suitePrism()` (test/support/suite-prism.ts).
import { mkdtempSync, rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { type PrismProcess, startPrism } from "./support/prism.js";
import { adoptGroup } from "./support/processes.js";

let prism: PrismProcess | undefined;
let bundleDir: string | undefined;

export async function setup(project: TestProject) {
  // The suite talks to 127.0.0.1 over plain HTTP only, yet a NODE_EXTRA_CA_CERTS bundle (set on the workplace's
  // machines) costs every Node process about 40 ms of CPU at start-up: about 15 s over the hundreds the suite starts.
  // Prism, the workers and all they start go without it; npm install, which may reach the registry, gets it back.
  project.provide("extraCaCerts", process.env.NODE_EXTRA_CA_CERTS);
  delete process.env.NODE_EXTRA_CA_CERTS;
  prism = await startPrism("generated/openapi.json", { wait: false });
  // Stopped in teardown; and killed by its PID should vitest exit without reaching teardown.
  adoptGroup(prism.pid);
  project.provide("prismUrl", prism.url);
  // The run's bundles (test/support/bundled.ts): inside the repo, so their packages resolve from node_modules.
  bundleDir = mkdtempSync(".tmp-bundled-");
  project.provide("bundleDir", `${process.cwd()}/${bundleDir}`);
}

export async function teardown() {
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  await prism?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
    /** Where test/support/bundled.ts keeps the run's bundles. */
    bundleDir: string;
    /** NODE_EXTRA_CA_CERTS as the suite was started with (removed from the environment of the tests). */
    extraCaCerts: string | undefined;
  }
}
