// The report's line for every recipient, kept in a temporary file as each chunk finishes instead of in memory, so a
// --json report of a million recipients costs disk, not RAM. Read back chunk by chunk, in input order, when the one
// JSON document is written; the file is removed when the run ends.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class TextSpill {
  readonly #dir = mkdtempSync(join(tmpdir(), "ip1-nki-report-"));
  readonly #fd = openSync(join(this.#dir, "texts"), "w+", 0o600);
  /** Where each chunk's lines are: byte offset and length. */
  readonly #chunks = new Map<number, [number, number]>();
  #size = 0;

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
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
