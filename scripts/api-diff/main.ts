// `npm run api:diff` (and `npm test`, test/api-diff/gate.test.ts): the API's changes since the last release, classified
// by classify.ts (schemas.ts, rules.ts), judged by gate.ts, written by report.ts.
import { readFileSync, writeFileSync } from "node:fs";
import { basename, isAbsolute, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { JsonObject } from "../lib/openapi-refs.js";
import { generatedFiles, readText, root, runIfMain } from "../lib/project.js";
import { findApiChanges } from "./classify.js";
import { ACK_FILE, readAcknowledgements, runGate } from "./gate.js";
import { baselineFor, listReleases, parseVersion, RELEASES_DIR } from "./releases.js";
import { type ApiDiffResult, CHANGELOG_FILE, formatReport, updateChangelog } from "./report.js";

const USAGE = `
Usage: npm run api:diff [-- options]

Compares ${generatedFiles.bundle} with the released baseline (the newest ${RELEASES_DIR}/<version>.json at or
below package.json's version) and classifies every change as breaking or compatible for clients, by the rules in
scripts/api-diff/ (json-schema-diff for composed schemas; the README's "When the API changes" lists them).

Options:
  --base <file>            compare against this bundle instead
  --base-version <v>       the version of --base (default: its file name, <version>.json)
  --current <file>         the bundle to check (default ${generatedFiles.bundle}), shipping as package.json's version
  --ack <file>             the acknowledgements file (default ${ACK_FILE})
  --json                   print the result as JSON instead of the report
  --changelog              write the "API changes since <baseline>" section into ${CHANGELOG_FILE}
                           (npm test fails while it is missing or out of date)

Exit status: 0 when every breaking change is acknowledged or announced by a version bump; 1 when the gate fails
(the report says how to accept the change); 2 on bad usage.
`;

/** The options, as USAGE describes them (`baseVersion` is --base-version); each has the default USAGE gives. */
export type ApiDiffOptions = Partial<Record<"base" | "baseVersion" | "current" | "currentVersion" | "ackFile", string>>;

const absolute = (path: string) => (isAbsolute(path) ? path : resolve(root, path));
const shown = (path: string) => (absolute(path).startsWith(root) ? relative(root, absolute(path)) : path);
const readJson = (path: string) => JSON.parse(readFileSync(absolute(path), "utf8")) as JsonObject;

export const packageVersion = () => String((JSON.parse(readText("package.json")) as { version: unknown }).version);

export async function diffApi(options: ApiDiffOptions = {}): Promise<ApiDiffResult> {
  const currentVersion = options.currentVersion ?? packageVersion();
  const current = options.current ?? generatedFiles.bundle;
  const baseline = options.base === undefined ? baselineFor(currentVersion, listReleases()) : undefined;
  const base = options.base ?? baseline?.file;
  if (base === undefined) {
    throw new Error(
      `No baseline: ${RELEASES_DIR}/ has no release at or below ${currentVersion}. Record one with \`npm run api:release\`.`,
    );
  }
  const baseVersion = options.baseVersion ?? baseline?.version ?? basename(base, ".json");
  if (!parseVersion(baseVersion)) throw new Error(`Cannot tell the version of ${base}: pass --base-version.`);
  const ackFile = options.ackFile ?? ACK_FILE;
  const changes = await findApiChanges(readJson(base), readJson(current));
  const acknowledgements = await readAcknowledgements(absolute(ackFile));
  const gate = runGate({ changes, baseVersion, currentVersion, acknowledgements });
  return {
    base: { file: shown(base), version: baseVersion },
    current: { file: shown(current), version: currentVersion },
    ackFile: shown(ackFile),
    changes,
    gate,
  };
}

const text = { type: "string" } as const;
const flag = { type: "boolean" } as const;
const OPTIONS = { base: text, "base-version": text, current: text, ack: text, json: flag, changelog: flag };

runIfMain(import.meta.url, USAGE, async (args) => {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>["values"];
  try {
    values = parseArgs({ args, options: OPTIONS, strict: true }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { base, current, ack: ackFile } = values;
  const result = await diffApi({ base, baseVersion: values["base-version"], current, ackFile });
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatReport(result));
  if (values.changelog) {
    const changelog = readText(CHANGELOG_FILE);
    const updated = updateChangelog(changelog, result);
    if (updated !== changelog) writeFileSync(absolute(CHANGELOG_FILE), updated);
    const done =
      updated === changelog ? "already up to date" : `section for changes since ${result.base.version} written`;
    process.stderr.write(`${CHANGELOG_FILE}: ${done}.\n`);
  }
  return result.gate.passed ? 0 : 1;
});
