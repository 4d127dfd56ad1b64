// `npm run api:release`: records the API as released at package.json's version, as spec/releases/<version>.json,
// the baseline api:diff compares against from then on.
import { diffApi, packageVersion } from "./api-diff/main.js";
import { baselineFor, listReleases, RELEASES_DIR, writeRelease } from "./api-diff/releases.js";
import { formatReport } from "./api-diff/report.js";
import { fromRoot, generatedFiles, loadSpecConfig, readText, runIfMain } from "./lib/project.js";
import { bundleSpec } from "./pipeline/bundle.js";

const USAGE = `
Usage: npm run api:release [-- --force]

Writes ${RELEASES_DIR}/<package.json version>.json: the bundle of spec/ as released, which api:diff compares against
from then on. Run it after \`npm version …\`, when the version ships. It refuses when:
  - ${generatedFiles.bundle} is stale (run \`npm run pipeline\` first);
  - the API fails the breaking-change gate against the previous release (see \`npm run api:diff\`);
  - the release file exists with other content (a release is immutable; --force rewrites it, e.g. before the
    version was ever published).
`;

export async function recordRelease({ force = false } = {}): Promise<{ file: string; written: boolean }> {
  const version = packageVersion();
  const { text } = await bundleSpec(await loadSpecConfig());
  if (text !== readText(generatedFiles.bundle)) {
    throw new Error(`${generatedFiles.bundle} is stale: run \`npm run pipeline\` before recording a release.`);
  }
  const previous = baselineFor(
    version,
    listReleases().filter((release) => release.version !== version),
  );
  if (previous) {
    const result = await diffApi({ base: previous.file, baseVersion: previous.version, currentVersion: version });
    if (!result.gate.passed) throw new Error(`Not recording ${version}:\n${formatReport(result)}`);
  }
  const file = `${RELEASES_DIR}/${version}.json`;
  return { file, written: writeRelease(fromRoot(file), text, force) };
}

runIfMain(import.meta.url, USAGE, async (args) => {
  const { file, written } = await recordRelease({ force: args.includes("--force") });
  process.stdout.write(`${file}: ${written ? "recorded" : "already recorded, unchanged"}.\n`);
  return 0;
});
