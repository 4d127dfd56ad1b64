// One real Prism mock for the whole suite, on generated/openapi.json. It is not waited for here, so the files that do
// not use it start at once; the files that do wait for it to answer: `await suitePrism()` (test/support/suite-prism.ts).
import type { TestProject } from "vitest/node";
import { type PrismProcess, startPrism } from "./support/prism.js";
import { adoptGroup } from "./support/processes.js";

let prism: PrismProcess | undefined;

export async function setup(project: TestProject) {
  prism = await startPrism("generated/openapi.json", { wait: false });
  // Stopped in teardown; and killed by its PID should vitest exit without reaching teardown.
  adoptGroup(prism.pid);
  project.provide("prismUrl", prism.url);
}

export async function teardown() {
  await prism?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
  }
}
