// `npm run api:diff`: what changed in the API since the last release, whether each change breaks clients, and
// whether that is allowed (the gate). `npm test` runs the same gate on the real spec (test/api-diff/gate.test.ts).
import { readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type ApiDiffResult, formatReport } from "./lib/api-change-report.js";
import { CHANGELOG_FILE, updateChangelog } from "./lib/api-changelog.js";
import { findApiChanges } from "./lib/api-changes.js";
import { baselineFor, listReleases, parseVersion, RELEASES_DIR } from "./lib/api-releases.js";
import { ACK_FILE, readAcknowledgements, runGate } from "./lib/breaking-change-gate.js";
import type { JsonObject } from "./lib/openapi-refs.js";
import { generatedFiles, readText, root, runIfMain } from "./lib/project.js";

const USAGE = `
Usage: npm run api:diff [-- options]

Compares ${generatedFiles.bundle} with the released baseline (the newest ${RELEASES_DIR}/<version>.json at or
below package.json's version) and classifies every change as breaking or compatible for clients: openapi-diff and
json-schema-diff where they reach, rules in scripts/lib where they do not (the README's "When the API changes" lists
which).

Options:
  --base <file>            compare against this bundle instead
  --base-version <v>       the version of --base (default: its file name, <version>.json)
  --current <file>         the bundle to check (default ${generatedFiles.bundle})
  --current-version <v>    the version it ships as (default: package.json's)
  --ack <file>             the acknowledgements file (default ${ACK_FILE})
  --json                   print the result as JSON instead of the report
  --changelog              write the "API changes since <baseline>" section into ${CHANGELOG_FILE}
  --check-changelog        exit 1 when ${CHANGELOG_FILE} lacks that section as it would be written

Exit status: 0 when every breaking change is acknowledged or announced by a version bump; 1 when the gate fails
(the report says how to accept the change) or the changelog check fails; 2 on bad usage.
`;

export interface ApiDiffOptions {
  /** Baseline bundle; default: the newest release at or below the current version. */
  base?: string;
  /** Version of `base` when its file name is not `<version>.json`. */
  baseVersion?: string;
  /** The bundle to check; default generated/openapi.json. */
  current?: string;
  /** The version the current bundle ships as; default package.json's. */
  currentVersion?: string;
  /** The acknowledgements file; default spec/breaking-changes.ack.yaml. */
  ackFile?: string;
}

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
  const baseVersion =
    options.baseVersion ??
    baseline?.version ??
    base
      .split("/")
      .at(-1)
      ?.replace(/\.json$/, "") ??
    "";
  if (!parseVersion(baseVersion)) throw new Error(`Cannot tell the version of ${base}: pass --base-version.`);
  const ackFile = options.ackFile ?? ACK_FILE;
  const changes = await findApiChanges(readJson(base), readJson(current));
  const gate = runGate({
    changes,
    baseVersion,
    currentVersion,
    acknowledgements: readAcknowledgements(absolute(ackFile)),
  });
  return {
    base: { file: shown(base), version: baseVersion },
    current: { file: shown(current), version: currentVersion },
    ackFile: shown(ackFile),
    changes,
    gate,
  };
}

runIfMain(import.meta.url, USAGE, async (args) => {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(args).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const result = await diffApi({
    base: values.base,
    baseVersion: values["base-version"],
    current: values.current,
    currentVersion: values["current-version"],
    ackFile: values.ack,
  });
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatReport(result));
  const changelog = readText(CHANGELOG_FILE);
  const updated = updateChangelog(changelog, result);
  if (values.changelog) {
    if (updated !== changelog) writeFileSync(absolute(CHANGELOG_FILE), updated);
    process.stderr.write(
      `${CHANGELOG_FILE}: ${updated === changelog ? "already up to date" : `section for changes since ${result.base.version} written`}.\n`,
    );
  } else if (values["check-changelog"] && updated !== changelog) {
    process.stderr.write(
      `${CHANGELOG_FILE} lacks the API changes since ${result.base.version}: run \`npm run api:diff -- --changelog\`.\n`,
    );
    return 1;
  }
  return result.gate.passed ? 0 : 1;
});

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    options: {
      base: { type: "string" },
      "base-version": { type: "string" },
      current: { type: "string" },
      "current-version": { type: "string" },
      ack: { type: "string" },
      json: { type: "boolean" },
      changelog: { type: "boolean" },
      "check-changelog": { type: "boolean" },
    },
  });
}
