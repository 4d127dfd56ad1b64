// One real Prism mock for the whole suite, on generated/openapi.json; tests reach it with inject("prismUrl").
import type { TestProject } from "vitest/node";
import { type PrismProcess, startPrism } from "../src/mock/prism.js";

let prism: PrismProcess | undefined;

export async function setup(project: TestProject) {
  prism = await startPrism("generated/openapi.json");
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
