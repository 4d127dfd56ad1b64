// The gate's rules: which version bumps announce a breaking change, which release is the baseline, and how
// acknowledgements are read and applied.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ApiChange } from "../../scripts/api-diff/changes.js";
import { readAcknowledgements, runGate } from "../../scripts/api-diff/gate.js";
import {
  baselineFor,
  compareVersions,
  isBreakingBump,
  listReleases,
  nextBreakingVersion,
  writeRelease,
} from "../../scripts/api-diff/releases.js";
import { fromRoot } from "../../scripts/lib/project.js";

const dir = mkdtempSync(join(tmpdir(), "ip1-nki-gate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const change = (id: string, severity: ApiChange["severity"] = "breaking"): ApiChange => ({
  id,
  severity,
  kind: "changed",
  subject: id,
  change: "x",
  why: "y",
  where: ["here"],
  classifiedBy: "rule",
});

describe("versions", () => {
  it("orders versions by semver precedence, a prerelease before its release", () => {
    const sorted = ["1.0.0", "0.10.0", "0.2.0", "1.0.0-rc.1", "0.2.1"].sort(compareVersions);
    expect(sorted).toEqual(["0.2.0", "0.2.1", "0.10.0", "1.0.0-rc.1", "1.0.0"]);
  });

  it("counts as a breaking bump exactly what npm's caret range refuses", () => {
    expect(isBreakingBump("1.4.2", "2.0.0")).toBe(true);
    expect(isBreakingBump("1.4.2", "1.5.0")).toBe(false);
    expect(isBreakingBump("0.1.0", "0.2.0")).toBe(true);
    expect(isBreakingBump("0.1.0", "0.1.7")).toBe(false);
    expect(isBreakingBump("0.1.0", "1.0.0")).toBe(true);
    expect(isBreakingBump("0.0.3", "0.0.4")).toBe(true);
    expect(isBreakingBump("0.1.0", "0.1.0")).toBe(false);
    expect(isBreakingBump("2.0.0", "1.0.0")).toBe(false);
    expect(["1.4.2", "0.1.0", "0.0.3"].map(nextBreakingVersion)).toEqual(["2.0.0", "0.2.0", "0.0.4"]);
  });

  it("takes the newest release at or below the current version as the baseline", () => {
    for (const name of ["0.1.0.json", "0.2.0.json", "0.10.0.json", "1.0.0.json", "notes.md", "latest.json"]) {
      writeFileSync(join(dir, name), "{}");
    }
    const listed = listReleases(dir);
    expect(listed.map(({ version }) => version)).toEqual(["0.1.0", "0.2.0", "0.10.0", "1.0.0"]);
    expect(baselineFor("0.10.3", listed)?.version).toBe("0.10.0");
    expect(baselineFor("0.2.0", listed)?.file).toBe(join(dir, "0.2.0.json"));
    expect(baselineFor("0.0.9", listed)).toBeUndefined();
    expect(listReleases(join(dir, "missing"))).toEqual([]);
  });

  it("records a release once: the same content is a no-op, other content needs --force", () => {
    const file = join(dir, "recorded/0.3.0.json");
    expect(writeRelease(file, "{}\n")).toBe(true);
    expect(writeRelease(file, "{}\n")).toBe(false);
    expect(() => writeRelease(file, "{ }\n")).toThrow(`${file} exists with other content: a release is immutable.`);
    expect(readFileSync(file, "utf8")).toBe("{}\n");
    expect(writeRelease(file, "{ }\n", true)).toBe(true);
    expect(readFileSync(file, "utf8")).toBe("{ }\n");
  });
});

describe("acknowledgements", () => {
  const ackFile = (text: string) => {
    const file = join(dir, `ack-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    return file;
  };

  it("reads ids and reasons, and treats a missing file as acknowledging nothing", async () => {
    const file = ackFile(
      'baseline: "0.1.0"\nacknowledged:\n  - id: "request:NkiUser.Phone:maxLength"\n    reason: " IP1 always refused longer numbers. "\n',
    );
    expect(await readAcknowledgements(file)).toEqual({
      baseline: "0.1.0",
      acknowledged: [{ id: "request:NkiUser.Phone:maxLength", reason: "IP1 always refused longer numbers." }],
    });
    expect(await readAcknowledgements(join(dir, "none.yaml"))).toEqual({ baseline: "", acknowledged: [] });
  });

  it("reads the file as it stands between releases (comments, a baseline, nothing acknowledged) without YAML", async () => {
    const file = ackFile(
      '# Breaking API changes accepted…\n#   acknowledged:\n\nbaseline: "0.2.0"\nacknowledged: []\n',
    );
    expect(await readAcknowledgements(file)).toEqual({ baseline: "0.2.0", acknowledged: [] });
    const real = await readAcknowledgements(fromRoot("spec/breaking-changes.ack.yaml"));
    expect(real.baseline).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("refuses an entry without a reason, naming the file and the entry", async () => {
    const file = ackFile('baseline: "0.1.0"\nacknowledged:\n  - id: "request:NkiUser.Phone:maxLength"\n');
    await expect(readAcknowledgements(file)).rejects.toThrow(
      `${file}: acknowledged[0] (request:NkiUser.Phone:maxLength) needs a \`reason\``,
    );
    await expect(readAcknowledgements(ackFile("acknowledged: []\n"))).rejects.toThrow(
      "`baseline` must be a version string",
    );
  });
});

describe("the gate", () => {
  const changes = [
    change("request:NkiUser.Phone:maxLength"),
    change("response:OutgoingSms.Segments:removed"),
    change("request:NkiUser.Phone:docs", "compatible"),
  ];
  const BOTH = ["request:NkiUser.Phone:maxLength", "response:OutgoingSms.Segments:removed"];
  /** The gate from `base` to `current`, with an acknowledgements file made against `ackBaseline` listing `ids`. */
  const gate = (base: string, current: string, ackBaseline: string, ids: string[] = []) =>
    runGate({
      changes,
      baseVersion: base,
      currentVersion: current,
      acknowledgements: { baseline: ackBaseline, acknowledged: ids.map((id) => ({ id, reason: "harmless" })) },
    });

  it("fails on an unacknowledged breaking change without a breaking bump, listing only the breaking ones", () => {
    const result = gate("0.1.0", "0.1.1", "0.1.0");
    expect(result.passed).toBe(false);
    expect(result.unacknowledged.map(({ id }) => id)).toEqual(BOTH);
  });

  it("passes when the version announces the break", () => {
    expect(gate("0.1.0", "0.2.0", "0.1.0")).toMatchObject({ passed: true, breakingBump: true });
  });

  it("passes when every breaking change is acknowledged against this baseline, and names unused ids", () => {
    const result = gate("0.1.0", "0.1.0", "0.1.0", [...BOTH, "request:gone:removed"]);
    expect(result.passed).toBe(true);
    expect(result.acknowledged.map(({ reason }) => reason)).toEqual(["harmless", "harmless"]);
    expect(result.unusedIds).toEqual(["request:gone:removed"]);
  });

  it("fails when only some are acknowledged", () => {
    const result = gate("0.1.0", "0.1.0", "0.1.0", ["request:NkiUser.Phone:maxLength"]);
    expect(result.passed).toBe(false);
    expect(result.unacknowledged.map(({ id }) => id)).toEqual(["response:OutgoingSms.Segments:removed"]);
  });

  it("ignores acknowledgements made against another baseline, and says so", () => {
    expect(gate("0.2.0", "0.2.1", "0.1.0", BOTH)).toMatchObject({
      passed: false,
      staleFile: "0.1.0",
      acknowledged: [],
    });
  });
});
