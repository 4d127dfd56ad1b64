// The suite's one Prism (test/global-setup.ts starts it without waiting), for a test file that uses it.
import { inject } from "vitest";
import { waitForPrism } from "./prism.js";

/** The URL of the suite's Prism, once it answers. */
export async function suitePrism(): Promise<string> {
  const url = inject("prismUrl");
  await waitForPrism(url);
  return url;
}
