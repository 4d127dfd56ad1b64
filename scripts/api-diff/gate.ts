// The gate: a breaking change passes only with a version bump npm users see, or an acknowledgement in
// spec/breaking-changes.ack.yaml, which names its baseline and so lapses at the next release.
import { existsSync, readFileSync } from "node:fs";
import { asArray, isObject } from "../lib/openapi-refs.js";
import type { ApiChange } from "./changes.js";
import { isBreakingBump } from "./releases.js";

export const ACK_FILE = "spec/breaking-changes.ack.yaml";

export interface Acknowledgements {
  /** The baseline version the acknowledged changes are relative to; other baselines ignore the file. */
  baseline: string;
  /** Each a change id as the report prints it, and why clients are not hurt (required: the decision is on record). */
  acknowledged: Array<{ id: string; reason: string }>;
}

/** The file as it stands between releases (a baseline, nothing acknowledged), with comments and blank lines gone. */
const NOTHING_ACKNOWLEDGED = /^baseline: *"([^"\\]*)" *\nacknowledged: *\[\] *$/;

/** Reads the acknowledgements file; a missing file acknowledges nothing, a malformed one is an error saying what to fix. */
export async function readAcknowledgements(path: string): Promise<Acknowledgements> {
  if (!existsSync(path)) return { baseline: "", acknowledged: [] };
  const text = readFileSync(path, "utf8");
  const content = text
    .split("\n")
    .filter((line) => !/^\s*(#.*)?$/.test(line))
    .join("\n");
  const empty = NOTHING_ACKNOWLEDGED.exec(content);
  if (empty) return { baseline: empty[1] ?? "", acknowledged: [] };
  // Redocly's YAML parser, loaded only for a file that acknowledges something: loading it takes most of a second.
  const { parseYaml } = await import("@redocly/openapi-core");
  const parsed = parseYaml(text) as unknown;
  const problem = (what: string) => new Error(`${path}: ${what}`);
  if (!isObject(parsed)) throw problem("expected a mapping with `baseline` and `acknowledged`.");
  if (typeof parsed.baseline !== "string") throw problem('`baseline` must be a version string, e.g. "0.1.0".');
  const acknowledged = asArray(parsed.acknowledged ?? []).map((entry, index) => {
    if (!isObject(entry) || typeof entry.id !== "string" || entry.id === "") {
      throw problem(`acknowledged[${index}].id must be a change id from the api:diff report.`);
    }
    if (typeof entry.reason !== "string" || entry.reason.trim() === "") {
      throw problem(`acknowledged[${index}] (${entry.id}) needs a \`reason\`: why clients are not hurt.`);
    }
    return { id: entry.id, reason: entry.reason.trim() };
  });
  return { baseline: parsed.baseline, acknowledged };
}

export interface GateResult {
  passed: boolean;
  /** The current version announces a breaking change relative to the baseline (see isBreakingBump). */
  breakingBump: boolean;
  /** Breaking changes the file accepts, each with the file's reason. */
  acknowledged: Array<ApiChange & { reason: string }>;
  unacknowledged: ApiChange[];
  /** Set when the file's acknowledgements were made against another baseline, and so ignored. */
  staleFile?: string;
  /** Acknowledged ids that match no breaking change (worth deleting). */
  unusedIds: string[];
}

type GateInput = {
  changes: ApiChange[];
  baseVersion: string;
  currentVersion: string;
  acknowledgements: Acknowledgements;
};

export function runGate({ changes, baseVersion, currentVersion, acknowledgements }: GateInput): GateResult {
  const applies = acknowledgements.baseline === baseVersion;
  const reasons = new Map(applies ? acknowledgements.acknowledged.map(({ id, reason }) => [id, reason]) : []);
  const ids = new Set(reasons.keys());
  const breaking = changes.filter((change) => change.severity === "breaking");
  const acknowledged = breaking.flatMap((change) => {
    const reason = reasons.get(change.id);
    return reason === undefined ? [] : [{ ...change, reason }];
  });
  const unacknowledged = breaking.filter((change) => !ids.has(change.id));
  const breakingBump = isBreakingBump(baseVersion, currentVersion);
  return {
    passed: unacknowledged.length === 0 || breakingBump,
    breakingBump,
    acknowledged,
    unacknowledged,
    ...(!applies && acknowledgements.acknowledged.length > 0 ? { staleFile: acknowledgements.baseline } : {}),
    unusedIds: [...ids].filter((id) => !breaking.some((change) => change.id === id)),
  };
}
