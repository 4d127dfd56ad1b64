// The suite's environment: the tests and every process they start run without NODE_EXTRA_CA_CERTS (see
// test/global-setup.ts: each Node process would otherwise parse that CA bundle at start-up).
import { expect, it } from "vitest";
import { run } from "./processes.js";

it("runs the tests, and the processes they start, without NODE_EXTRA_CA_CERTS", async () => {
  expect(process.env.NODE_EXTRA_CA_CERTS).toBeUndefined();
  const child = await run(process.execPath, ["-p", 'process.env.NODE_EXTRA_CA_CERTS ?? "(none)"'], { cwd: "." });
  expect(child.stdout.trim()).toBe("(none)");
});
