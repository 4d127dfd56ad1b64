// A file of JSON lines that is only ever extended by whole, synced lines. A line is written with positional writes
// looped until every byte is down (a short write is continued, never ignored), then fsynced; if any of that fails the
// file is cut back to its last whole line, so a line that was not made durable leaves nothing behind.
import { closeSync, fsyncSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** A line could not be made durable; nothing of it is left in the file (unless `torn`). */
export class LineWriteError extends Error {
  override name = "LineWriteError";
  constructor(
    readonly path: string,
    readonly code: string,
    /** Cutting the partial line off failed too: the file may end in a torn line (a later open repairs it). */
    readonly torn: boolean,
  ) {
    super(`${path}: cannot write the journal (${code})${torn ? "; it may end in a torn line" : ""}`);
  }
}

export class LineFile {
  private constructor(
    readonly path: string,
    private readonly fd: number,
    /** Bytes of whole lines in the file: where the next line goes. */
    private size: number,
  ) {}

  /** Creates the file (never overwriting one) and makes its directory entry durable. */
  static create(path: string): LineFile {
    const file = new LineFile(path, openSync(path, "wx"), 0);
    syncDirectory(dirname(path));
    return file;
  }

  /** Opens a file of `size` bytes of whole lines to extend it. */
  static extend(path: string, size: number): LineFile {
    return new LineFile(path, openSync(path, "r+"), size);
  }

  append(line: string): void {
    const bytes = Buffer.from(`${line}\n`, "utf8");
    try {
      for (let written = 0; written < bytes.length; ) {
        const count = writeSync(this.fd, bytes, written, bytes.length - written, this.size + written);
        if (count <= 0) throw Object.assign(new Error("no progress"), { code: "ENOSPC" });
        written += count;
      }
      fsyncSync(this.fd);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      let torn = false;
      try {
        ftruncateSync(this.fd, this.size);
        fsyncSync(this.fd);
      } catch {
        torn = true;
      }
      throw new LineWriteError(this.path, code, torn);
    }
    this.size += bytes.length;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Makes a new or renamed directory entry survive power loss (not possible on every platform; best effort there). */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Windows cannot open or fsync a directory; its file systems journal metadata themselves.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
