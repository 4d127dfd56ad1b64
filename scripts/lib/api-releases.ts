// Released baselines: spec/releases/<version>.json is the bundle as it was when that version was released, so a
// fresh clone can tell what changed since without git history. api:diff compares against the newest one at or below
// package.json's version.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fromRoot } from "./project.js";

export const RELEASES_DIR = "spec/releases";

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** `rc.1` in `1.0.0-rc.1`; empty for a release. */
  prerelease: string;
}

export function parseVersion(text: string): Version | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/.exec(text);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), prerelease: match[4] ?? "" };
}

function mustParse(text: string): Version {
  const version = parseVersion(text);
  if (!version) throw new Error(`Not a semver version: "${text}".`);
  return version;
}

/** Semver precedence; prereleases compare as plain strings, which is enough for ordering our own release files. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [mustParse(a), mustParse(b)];
  const core = x.major - y.major || x.minor - y.minor || x.patch - y.patch;
  if (core !== 0) return Math.sign(core);
  if (x.prerelease === y.prerelease) return 0;
  if (x.prerelease === "") return 1;
  if (y.prerelease === "") return -1;
  return x.prerelease < y.prerelease ? -1 : 1;
}

/**
 * Whether `next` announces a breaking change to npm users coming from `base`: `^base` does not accept it. That is a
 * new major, or, while the major is 0, a new minor (`^0.1.0` takes 0.1.5 but not 0.2.0), as npm reads versions.
 */
export function isBreakingBump(base: string, next: string): boolean {
  const caretKey = ({ major, minor, patch }: Version) =>
    (major > 0 ? [major] : minor > 0 ? [0, minor] : [0, 0, patch]).join(".");
  return compareVersions(next, base) > 0 && caretKey(mustParse(next)) !== caretKey(mustParse(base));
}

/** The version a breaking change needs after `base` (for the report's advice). */
export function nextBreakingVersion(base: string): string {
  const { major, minor, patch } = mustParse(base);
  if (major > 0) return `${major + 1}.0.0`;
  return minor > 0 ? `0.${minor + 1}.0` : `0.0.${patch + 1}`;
}

export interface Release {
  version: string;
  /** Absolute path of the release's bundle. */
  file: string;
}

/** Every `<version>.json` in the releases folder, oldest first. */
export function listReleases(dir = fromRoot(RELEASES_DIR)): Release[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => ({ name, version: name.replace(/\.json$/, "") }))
    .filter(({ name, version }) => name.endsWith(".json") && parseVersion(version))
    .map(({ name, version }) => ({ version, file: join(dir, name) }))
    .sort((a, b) => compareVersions(a.version, b.version));
}

/** The newest release at or below `version`: what users of `version` upgraded from. */
export function baselineFor(version: string, releases: Release[]): Release | undefined {
  return releases.filter((release) => compareVersions(release.version, version) <= 0).at(-1);
}

/**
 * Writes a release's bundle to `file` (absolute) and says whether it wrote. A release is immutable: other content
 * already there is an error, unless `force` (for a version that was never published).
 */
export function writeRelease(file: string, text: string, force = false): boolean {
  if (existsSync(file)) {
    if (readFileSync(file, "utf8") === text) return false;
    if (!force)
      throw new Error(`${file} exists with other content: a release is immutable. Bump the version, or pass --force.`);
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return true;
}
