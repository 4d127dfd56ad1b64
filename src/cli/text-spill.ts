// The report's line for every recipient, kept in a temporary file as each chunk finishes instead of in memory, so a
// --json report of a million recipients costs disk, not RAM. Read back chunk by chunk, in input order, when the one
// JSON document is written. On Linux the file never has a name (O_TMPFILE); elsewhere it is unlinked as soon as it is
// open (not on Windows), so the recipients' lines vanish with the process, even one killed with -9 (at any moment, on
// Linux: an unlink leaves a window of microseconds); else it is removed when the run ends.
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class TextSpill {
  readonly #fd: number;
  /** The directory still to remove at close, when it could not be removed while open. */
  readonly #leftover: string | undefined;
  /** Where each chunk's lines are: byte offset and length. */
  readonly #chunks = new Map<number, [number, number]>();
  #size = 0;

  constructor() {
    const unnamed = openUnnamed(tmpdir());
    if (unnamed !== undefined) {
      this.#fd = unnamed;
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), "ip1-nki-report-"));
    this.#fd = openSync(join(dir, "texts"), "w+", 0o600);
    this.#leftover = removed(dir) ? undefined : dir;
  }

  write(chunk: number, lines: readonly string[]): void {
    const bytes = Buffer.from(lines.join("\n"));
    writeSync(this.#fd, bytes, 0, bytes.length, this.#size);
    this.#chunks.set(chunk, [this.#size, bytes.length]);
    this.#size += bytes.length;
  }

  /** The lines written for `chunk`, or undefined when none were. */
  read(chunk: number): string[] | undefined {
    const where = this.#chunks.get(chunk);
    if (!where) return undefined;
    const bytes = Buffer.alloc(where[1]);
    readSync(this.#fd, bytes, 0, where[1], where[0]);
    return bytes.length ? bytes.toString().split("\n") : [];
  }

  close(): void {
    closeSync(this.#fd);
    if (this.#leftover) rmSync(this.#leftover, { recursive: true, force: true });
  }
}

/** Linux's O_TMPFILE (the kernel wants O_DIRECTORY with it): a file in `dir` with no name, gone with its last fd. */
const O_TMPFILE = 0o20000000 | constants.O_DIRECTORY;

/** A file with no name, or undefined where there is none to be had (not Linux, or a file system without it). */
function openUnnamed(dir: string): number | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    return openSync(dir, O_TMPFILE | constants.O_RDWR, 0o600);
  } catch {
    return undefined;
  }
}

function removed(dir: string): boolean {
  try {
    rmSync(dir, { recursive: true });
    return true;
  } catch {
    return false;
  }
}
