// Released baselines: spec/releases/<version>.json is the bundle as released, so a fresh clone needs no git history;
// api:diff compares against the newest at or below package.json's version.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fromRoot } from "../lib/project.js";

export const RELEASES_DIR = "spec/releases";

/** major, minor, patch, and the prerelease (`rc.1` in `1.0.0-rc.1`; empty for a release). */
export type Version = [major: number, minor: number, patch: number, prerelease: string];

export function parseVersion(text: string): Version | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3]), match[4] ?? ""] : undefined;
}

function mustParse(text: string): Version {
  const version = parseVersion(text);
  if (!version) throw new Error(`Not a semver version: "${text}".`);
  return version;
}

/** Semver precedence; prereleases compare as plain strings, which is enough for ordering our own release files. */
export function compareVersions(a: string, b: string): number {
  const [[x1, x2, x3, xPre], [y1, y2, y3, yPre]] = [mustParse(a), mustParse(b)];
  const core = Math.sign(x1 - y1 || x2 - y2 || x3 - y3);
  if (core !== 0 || xPre === yPre) return core;
  if (xPre === "" || yPre === "") return xPre === "" ? 1 : -1;
  return xPre < yPre ? -1 : 1;
}

/** Whether `^base` refuses `next`: a new major, or while the major is 0 a new minor (`^0.1` takes 0.1.5, not 0.2.0). */
export function isBreakingBump(base: string, next: string): boolean {
  const caretKey = ([major, minor, patch]: Version) =>
    (major > 0 ? [major] : minor > 0 ? [0, minor] : [0, 0, patch]).join(".");
  return compareVersions(next, base) > 0 && caretKey(mustParse(next)) !== caretKey(mustParse(base));
}

/** The version a breaking change needs after `base` (for the report's advice). */
export function nextBreakingVersion(base: string): string {
  const [major, minor, patch] = mustParse(base);
  if (major > 0) return `${major + 1}.0.0`;
  return minor > 0 ? `0.${minor + 1}.0` : `0.0.${patch + 1}`;
}

/** A release: its version, and the absolute path of its bundle. */
export type Release = { version: string; file: string };

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

/** Writes a release's bundle to `file`, true if it did; other content there is an error unless `force` (unreleased). */
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
