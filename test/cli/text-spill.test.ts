// The --json report's temporary file of recipients' lines (src/cli/text-spill.ts): on Linux it never has a name, so a
// kill -9 at any moment leaves nothing of them in the temporary folder.
import { mkdtempSync, readdirSync, rmSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { TextSpill } from "../../src/cli/text-spill.js";

it("keeps the lines in a file that never has a name in the temporary folder", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ip1-nki-spill-test-"));
  const saved = process.env.TMPDIR;
  const named: string[] = [];
  let sawMarker = () => {};
  const marker = new Promise<void>((resolve) => {
    sawMarker = resolve;
  });
  const watcher = watch(dir, (_event, file) => (file === "marker" ? sawMarker() : named.push(String(file))));
  try {
    process.env.TMPDIR = dir; // os.tmpdir() reads it at each call
    const spill = new TextSpill();
    spill.write(0, ["line one", "line two"]);
    expect(spill.read(0)).toEqual(["line one", "line two"]);
    // The watcher reports in order: once it has seen a file made after the spill's, it has seen any name the spill made.
    writeFileSync(join(dir, "marker"), "");
    await marker;
    spill.close();
    // Linux reports an O_TMPFILE's creation as "#" and its inode number: not a name anything in the folder can have.
    expect(named.filter((name) => !/^#\d+$/.test(name))).toEqual([]);
    expect(readdirSync(dir)).toEqual(["marker"]);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    watcher.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
