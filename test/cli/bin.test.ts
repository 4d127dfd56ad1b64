// The real bin, spawned: the entry point runs under Node, --mock starts the package's simulator, sends to it, stops
// it, and the process exits by itself.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { run, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";
import { ledgerEntries, send, workDir, writeUsersCsv } from "./support.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const entry = join(root, "src/cli/main.ts");
/** Runs the bin as a user's shell would (node + the TypeScript loader), in its own process group, killed with the test. */
const bin = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
  });

describe("the ip1-nki bin", { timeout: WHOLE_TOOL_TIMEOUT_MS }, () => {
  it("starts with a node shebang", () => {
    expect(readFileSync(entry, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  // The simulator answers one record per recipient, so every recipient is accounted for (exit 0).
  it("--mock sends to its own simulator, gets one record per recipient, stops it, and exits by itself with 0", async () => {
    const dir = workDir();
    const users = writeUsersCsv(dir, 25);
    const ledger = join(dir, "ledger.sqlite");
    // No credentials in the environment: --mock brings its own fake ones.
    const result = await bin([...send, "--users", users, "--chunk-size", "10", "--mock", "--ledger", ledger]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const url = /Sending to the mock at (http:\/\/127\.0\.0\.1:\d+):/.exec(result.stdout)?.[1];
    expect(url).toBeDefined();
    expect(result.stdout).toContain("Recipients: 25 of 25 sent, 0 failed,");
    const entries = await ledgerEntries(ledger);
    expect(entries).toHaveLength(25);
    // Under the mock's one name, whatever its port; with the simulator's IDs and BundleIDs.
    expect(entries.every((entry) => entry.target === "mock:ip1-nki" && entry.state === "sent" && entry.ip1?.id)).toBe(
      true,
    );
    expect(new Set(entries.map((entry) => entry.ip1?.bundleId)).size).toBe(3);
    // The mock is gone with the process: its port refuses connections.
    await expect(fetch(`${url}/`)).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });
  });

  it("prints usage errors on stderr with exit 2", async () => {
    const result = await bin(["send", "--nki", "42"]);
    expect(result).toEqual({
      code: 2,
      signal: null,
      stdout: "",
      stderr: "ip1-nki: --from is required: the sender, for example --from Acme.\n",
    });
  });
});
