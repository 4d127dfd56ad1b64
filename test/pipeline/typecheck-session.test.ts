// The warm typecheck session (scripts/lib/typecheck-session.ts) gives the CLI's verdict with the CLI's lines, follows
// edits, created and deleted files, survives a dead tsgo, and never leaves a tsgo behind. Each case works on a copy
// of the library project (src/, generated/, the tsconfigs) in a temp dir, compared against `tsc --noEmit` run on the
// very same files.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { openTypecheckSession, type TypecheckSession } from "../../scripts/lib/typecheck-session.js";
import { LIBRARY_PROJECT, typecheck } from "../../scripts/typecheck.js";
import { start, WHOLE_TOOL_TIMEOUT_MS } from "../support/processes.js";

const root = new URL("../../", import.meta.url).pathname;
const copies: string[] = [];

function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "ip1-nki-session-"));
  copies.push(dir);
  for (const entry of ["src", "generated", "tsconfig.json", LIBRARY_PROJECT, "package.json"]) {
    cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  return dir;
}

afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A session on the copy, closed when the test ends, passed or failed. */
async function openSession(dir: string): Promise<TypecheckSession> {
  const session = await openTypecheckSession(LIBRARY_PROJECT, dir);
  onTestFinished(() => session.close());
  return session;
}

/** What the session's check says: "ok", or its error message. */
const verdict = (promise: Promise<void>) =>
  promise.then(
    () => "ok",
    (error: Error) => error.message,
  );

/** What the CLI says about the same files: "ok", or its error message. */
const cliVerdict = (dir: string) => verdict(typecheck(LIBRARY_PROJECT, { cwd: dir }));

/** Whether a process runs (a zombie, dead but not yet reaped by its parent, does not). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
}

/** Resolves once `pid` no longer runs; rejects after `ms`. A process ends when the kernel next schedules it. */
const exitOf = (pid: number) => waitUntil(() => !isRunning(pid), `PID ${pid} still runs`);

/** Resolves once our child `pid` has exited and Node has reaped it (and so has seen its exit). */
const reaped = (pid: number) =>
  waitUntil(() => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }, `PID ${pid} was not reaped`);

async function waitUntil(done: () => boolean, failure: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${failure} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function edit(path: string, change: (text: string) => string) {
  const text = readFileSync(path, "utf8");
  const changed = change(text);
  expect(changed).not.toBe(text);
  writeFileSync(path, changed);
}

describe("typecheck session", { timeout: WHOLE_TOOL_TIMEOUT_MS }, () => {
  it("resolves on the clean project, as the CLI does", async () => {
    const dir = copyProject();
    const session = await openSession(dir);

    expect(await verdict(session.check([]))).toBe("ok");
    expect(await cliVerdict(dir)).toBe("ok");
  });

  const breakingEdits = [
    {
      what: "a type error with a message chain, after non-ASCII text on the same line",
      file: "src/status.ts",
      change: (text: string) =>
        `${text}\n/* 😀 */ const café: { p: { q: number } } = { p: { q: 1 } }; ` +
        "declare function takes(x: { p: { q: string } }): void; takes(café);\n",
      // Columns count UTF-16 code units, as tsc's do: the emoji is two, each "é" one.
      expected:
        /^src\/status\.ts\(\d+,123\): error TS2345: .*\n {2}The types of 'p\.q' are incompatible between these types\.\n {4}Type 'number' is not assignable to type 'string'\.$/m,
    },
    {
      what: "a syntax error, which hides the type errors as tsc does",
      file: "src/status.ts",
      change: (text: string) => `${text}\nexport const typeError: number = "text";\nexport const syntaxError = ;\n`,
      expected: /^src\/status\.ts\(\d+,28\): error TS1109: Expression expected\.$/m,
    },
    {
      what: "a generated .d.ts edit that breaks the .ts files using it",
      file: "generated/schema.d.ts",
      change: (text: string) => text.replace("export type OutgoingSms =", "export type OutgoingSmsRenamed ="),
      expected: /^src\/types-entry\.ts\(\d+,\d+\): error TS2305: .*'OutgoingSms'\.$/m,
    },
  ];

  it.each(breakingEdits)("rejects $what with the CLI's lines, and resolves once it is undone", async (breaking) => {
    const dir = copyProject();
    const path = join(dir, breaking.file);
    const original = readFileSync(path, "utf8");
    const session = await openSession(dir);
    expect(await verdict(session.check([]))).toBe("ok");

    edit(path, breaking.change);
    const broken = await verdict(session.check([path]));

    expect(broken).toMatch(/^Typecheck failed:\n/);
    expect(broken).toMatch(breaking.expected);
    expect(broken).toBe(await cliVerdict(dir));

    writeFileSync(path, original);
    expect(await verdict(session.check([path]))).toBe("ok");
  });

  it("follows created and deleted files", async () => {
    const dir = copyProject();
    const helper = join(dir, "src/helper.ts");
    const user = join(dir, "src/uses-helper.ts");
    const session = await openSession(dir);
    expect(await verdict(session.check([]))).toBe("ok");

    // Created: picked up by the tsconfig's include, so its error is found.
    writeFileSync(helper, "export const answer: string = 42;\n");
    const withNewFile = await verdict(session.check([helper]));
    expect(withNewFile).toMatch(/^src\/helper\.ts\(1,14\): error TS2322:/m);
    expect(withNewFile).toBe(await cliVerdict(dir));

    writeFileSync(helper, "export const answer = 42;\n");
    writeFileSync(user, 'import { answer } from "./helper.js";\nexport const doubled: number = answer * 2;\n');
    expect(await verdict(session.check([helper, user]))).toBe("ok");

    // Deleted: the import that needed it now fails.
    unlinkSync(helper);
    const withoutHelper = await verdict(session.check([helper]));
    expect(withoutHelper).toMatch(/^src\/uses-helper\.ts\(1,24\): error TS2307:/m);
    expect(withoutHelper).toBe(await cliVerdict(dir));

    unlinkSync(user);
    expect(await verdict(session.check([user]))).toBe("ok");
  });

  // Killed between checks (tsgo gone and reaped before the check starts), and during one (the check's requests race
  // the kill); either way the verdict is tsc's, and nothing escapes as an unhandled rejection, which fails the run.
  it.each([
    { when: "between checks", waitForExit: true },
    { when: "during a check", waitForExit: false },
  ])(
    "answers with the CLI when tsgo is killed $when, and starts a new tsgo for the next check",
    async ({ waitForExit }) => {
      const dir = copyProject();
      const path = join(dir, "src/status.ts");
      const session = await openSession(dir);
      const firstPid = session.pid;
      if (firstPid === undefined) throw new Error("the session has no tsgo");

      edit(path, (text) => `${text}\nexport const broken: number = "text";\n`);
      if (waitForExit) {
        process.kill(firstPid, "SIGKILL");
        await reaped(firstPid);
      }
      const checking = verdict(session.check([path]));
      if (!waitForExit) process.kill(firstPid, "SIGKILL");
      const broken = await checking;

      expect(broken).toMatch(/^src\/status\.ts\(\d+,14\): error TS2322:/m);
      expect(broken).toBe(await cliVerdict(dir));
      expect(session.pid).toBeUndefined();

      const fixed = readFileSync(path, "utf8").replace('"text"', "1");
      writeFileSync(path, fixed);
      expect(await verdict(session.check([path]))).toBe("ok");
      expect(session.pid).toEqual(expect.any(Number));
      expect(session.pid).not.toBe(firstPid);
    },
  );

  it("stops tsgo on close(), and a second close() is harmless", async () => {
    const dir = copyProject();
    const session = await openSession(dir);
    const pid = session.pid;
    if (pid === undefined) throw new Error("the session has no tsgo");
    expect(isRunning(pid)).toBe(true);

    await session.close();

    // Exited and reaped: the PID is gone, not a zombie.
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
    await session.close();
    await expect(session.check([])).rejects.toThrow("closed");
  });

  it("leaves no tsgo behind when the Node process holding the session is killed", async () => {
    const dir = copyProject();
    const script = join(dir, "hold-session.ts");
    const sessionModule = join(root, "scripts/lib/typecheck-session.ts");
    writeFileSync(
      script,
      `import { openTypecheckSession } from ${JSON.stringify(sessionModule)};\n` +
        `const session = await openTypecheckSession(${JSON.stringify(LIBRARY_PROJECT)}, process.cwd());\n` +
        'process.stdout.write("tsgo " + session.pid + "\\n");\n' +
        "setInterval(() => {}, 1 << 30);\n",
    );
    // Its process group (tsgo included) is killed when the test ends, should the assertions fail.
    const holder = start(process.execPath, ["--import", "tsx", script], { cwd: dir });
    await holder.waitForOutput(/tsgo \d+/);
    const tsgoPid = Number(/tsgo (\d+)/.exec(holder.stdout)?.[1]);
    expect(isRunning(tsgoPid)).toBe(true);

    // Only the Node process, not its group: tsgo must end by itself.
    process.kill(holder.pid, "SIGKILL");
    await holder.exited;

    await expect(exitOf(tsgoPid)).resolves.toBeUndefined();
  });
});
