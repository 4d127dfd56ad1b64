// What api:diff writes: the report (changes by severity, then the gate's verdict and how to accept a change), and
// CHANGELOG-API.md's generated section per baseline, between markers so the prose around it is never touched.
import type { ApiChange } from "./changes.js";
import type { GateResult } from "./gate.js";
import { compareVersions, nextBreakingVersion } from "./releases.js";

export interface ApiDiffResult {
  base: { file: string; version: string };
  current: { file: string; version: string };
  /** The acknowledgements file the gate read (relative to the project root). */
  ackFile: string;
  changes: ApiChange[];
  gate: GateResult;
}

const by = (change: ApiChange) => (change.classifiedBy === "rule" ? "rule in scripts/api-diff" : change.classifiedBy);

function describe(change: ApiChange, note?: string): string[] {
  return [
    `  ${change.id}`,
    `    ${change.subject}: ${change.change}`,
    `    in ${change.where.join("; ")}`,
    `    ${change.severity === "breaking" ? "breaking" : "compatible"}: ${change.why} (${by(change)})`,
    ...(note ? [`    ${note}`] : []),
  ];
}

export function formatReport(result: ApiDiffResult): string {
  const { base, current, changes, gate, ackFile } = result;
  const breaking = changes.filter((change) => change.severity === "breaking");
  const compatible = changes.filter((change) => change.severity === "compatible");
  const reasons = new Map(gate.acknowledged.map(({ id, reason }) => [id, reason]));
  const lines = [`api:diff ${base.file} (${base.version}) → ${current.file} (package ${current.version})`, ""];
  if (changes.length === 0) lines.push("No API changes.", "");
  const groups = [["Breaking for clients", breaking] as const, ["Compatible", compatible] as const];
  for (const [title, list] of groups.filter(([, list]) => list.length > 0)) {
    lines.push(`${title} (${list.length}):`);
    for (const change of list) {
      const reason = reasons.get(change.id); // only breaking changes are acknowledged
      lines.push(...describe(change, reason === undefined ? undefined : `acknowledged in ${ackFile}: ${reason}`));
    }
    lines.push("");
  }
  lines.push(...gateLines(result));
  if (gate.staleFile !== undefined) {
    lines.push(
      `Note: ${ackFile} acknowledges changes since ${gate.staleFile}, not ${base.version}, so it was ignored.`,
    );
  }
  if (gate.unusedIds.length > 0) {
    lines.push(`Note: ${ackFile} acknowledges ids that match no breaking change: ${gate.unusedIds.join(", ")}.`);
  }
  return `${lines.join("\n")}\n`;
}

const ackEntry = (id: string, reason: string) => [
  `       - id: ${JSON.stringify(id)}`,
  `         reason: ${JSON.stringify(reason)}`,
];

function gateLines({ base, current, gate, ackFile }: ApiDiffResult): string[] {
  const count = gate.unacknowledged.length + gate.acknowledged.length;
  if (count === 0) return ["Gate: passed (nothing breaking)."];
  if (gate.breakingBump) {
    return [`Gate: passed (${count} breaking, announced by the version: ${base.version} → ${current.version}).`];
  }
  if (gate.unacknowledged.length === 0) return [`Gate: passed (every breaking change is acknowledged in ${ackFile}).`];
  const next = nextBreakingVersion(base.version);
  return [
    `Gate: FAILED. ${gate.unacknowledged.length} breaking change(s) are neither acknowledged nor announced by the version (${base.version} → ${current.version}).`,
    "Accept them in one of two ways:",
    `  1. Release a version that tells npm users (a new major, or a new minor while the major is 0): npm version ${next} --no-git-tag-version`,
    `  2. If clients are not hurt in practice, acknowledge each change in ${ackFile} (reason required):`,
    "",
    `     baseline: "${base.version}"`,
    "     acknowledged:",
    ...gate.acknowledged.flatMap(({ id, reason }) => ackEntry(id, reason)),
    ...gate.unacknowledged.flatMap(({ id }) => ackEntry(id, "<why clients are not hurt>")),
  ];
}

export const CHANGELOG_FILE = "CHANGELOG-API.md";

const start = (baseVersion: string) => `<!-- api-diff: since ${baseVersion} -->`;
const END = "<!-- api-diff: end -->";

const entry = (change: ApiChange) =>
  `- \`${change.subject}\`: ${change.change} (${change.where.join("; ")}).${change.severity === "breaking" ? ` ${capitalise(change.why)}.` : ""}`;
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The generated section for `result`, or "" when nothing changed. */
export function changelogSection({ base, current, changes }: ApiDiffResult): string {
  if (changes.length === 0) return "";
  const released = compareVersions(current.version, base.version) > 0;
  const groups: Array<[string, ApiChange[]]> = [
    ["Breaking", changes.filter((change) => change.severity === "breaking")],
    ["Added", changes.filter((change) => change.severity === "compatible" && change.kind === "added")],
    ["Changed", changes.filter((change) => change.severity === "compatible" && change.kind !== "added")],
  ];
  return [
    start(base.version),
    `## ${released ? current.version : "Unreleased"}: API changes since ${base.version}`,
    "",
    `Generated by \`npm run api:diff -- --changelog\` from \`${base.file}\` and \`${current.file}\`.`,
    ...groups.flatMap(([title, list]) => (list.length === 0 ? [] : ["", `### ${title}`, "", ...list.map(entry)])),
    END,
  ].join("\n");
}

/** `text` with the section for this baseline replaced (or inserted above the newest release, or removed if empty). */
export function updateChangelog(text: string, result: ApiDiffResult): string {
  const section = changelogSection(result);
  const from = text.indexOf(start(result.base.version));
  if (from !== -1) {
    const to = text.indexOf(END, from);
    if (to === -1) throw new Error(`${CHANGELOG_FILE}: "${start(result.base.version)}" has no "${END}" after it.`);
    const after = text.slice(to + END.length).replace(/^\n+/, "");
    return section === "" ? `${text.slice(0, from)}${after}` : `${text.slice(0, from)}${section}\n\n${after}`;
  }
  if (section === "") return text;
  const firstRelease = text.search(/^(## |<!-- api-diff: since )/m);
  return firstRelease === -1
    ? `${text.trimEnd()}\n\n${section}\n`
    : `${text.slice(0, firstRelease)}${section}\n\n${text.slice(firstRelease)}`;
}
