// A warm TypeScript 7 program for `--watch`: tsgo stays running between spec edits, is told which files changed, and
// re-checks only what that invalidates, instead of a tsc process that starts cold and reads everything each time.
//
// The verdict must be tsc's (scripts/typecheck.ts), so whenever the warm path cannot answer (tsgo died, a protocol
// error, a typescript7 update broke our use of its API) the check runs the CLI instead, and the next check starts a
// new tsgo.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Project, Snapshot } from "typescript7/unstable/async";
import type { FileChangeSummary } from "typescript7/unstable/proto";
import { typecheck } from "../typecheck.js";
import { formatTscDiagnostics, hasErrors, tscDiagnostics } from "./tsc-diagnostics.js";
import { startTsgoApi } from "./tsgo-api.js";

/** A warm TypeScript 7 program for one tsconfig, re-checked after file edits (for --watch). */
export interface TypecheckSession {
  /**
   * Re-checks after `changed` files (absolute paths) were written, created or deleted; resolves when the project has
   * no errors, else rejects with an Error whose message is "Typecheck failed:\n" and tsc's lines, as the CLI prints.
   */
  check(changed: readonly string[]): Promise<void>;
  /** Stops the tsgo process (by PID) and waits until it has exited. Idempotent. */
  close(): Promise<void>;
  /** The running tsgo's PID; undefined while none runs (after a failure, until the next check, and after close). */
  readonly pid: number | undefined;
}

/** Starts tsgo on `project` (relative to `cwd`) and loads its program; rejects if tsgo cannot be started. */
export async function openTypecheckSession(project: string, cwd: string): Promise<TypecheckSession> {
  let warm: WarmProject | undefined = await openWarmProject(project, cwd);
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();

  const checkNow = async (changed: readonly string[]) => {
    if (closed) throw new Error("The typecheck session is closed.");
    let report: Report;
    try {
      if (warm) report = await warm.check(changed);
      else {
        // A new tsgo reads every file from disk, so `changed` is already taken into account.
        warm = await openWarmProject(project, cwd);
        report = await warm.check([]);
      }
    } catch {
      // Whatever broke, tsc's verdict still counts: get it from the CLI, and start afresh next time.
      await warm?.close();
      warm = undefined;
      await typecheck(project, { cwd });
      return;
    }
    if (report.failed) throw new Error(`Typecheck failed:\n${report.lines}`);
  };

  return {
    check(changed) {
      // One check at a time: each builds on the snapshot the previous one left.
      const result = queue.then(() => checkNow(changed));
      queue = result.catch(() => {});
      return result;
    },
    async close() {
      closed = true;
      await warm?.close();
      warm = undefined;
    },
    get pid() {
      return warm?.pid;
    },
  };
}

interface Report {
  failed: boolean;
  lines: string;
}

interface WarmProject {
  pid: number;
  check(changed: readonly string[]): Promise<Report>;
  close(): Promise<void>;
}

async function openWarmProject(project: string, cwd: string): Promise<WarmProject> {
  const configFile = resolve(cwd, project);
  const tsgo = await startTsgoApi(cwd);
  try {
    let snapshot = await tsgo.request((api) => api.updateSnapshot({ openProject: configFile }));
    let programFiles = await tsgo.request(() => sourceFileNames(projectOf(snapshot, configFile)));
    return {
      pid: tsgo.pid,
      check: (changed) =>
        tsgo.request(async (api) => {
          if (changed.length > 0) {
            const fileChanges = classifyChanges(changed, programFiles);
            const previous = snapshot;
            snapshot = await api.updateSnapshot({ fileChanges });
            // Each snapshot pins its programs in tsgo until released.
            await previous.dispose();
            if (fileChanges.created?.length || fileChanges.deleted?.length) {
              programFiles = await sourceFileNames(projectOf(snapshot, configFile));
            }
          }
          const { program } = projectOf(snapshot, configFile);
          const diagnostics = await tscDiagnostics(program);
          return {
            failed: hasErrors(diagnostics),
            lines: diagnostics.length > 0 ? await formatTscDiagnostics(diagnostics, cwd, program) : "",
          };
        }),
      close: () => tsgo.stop(),
    };
  } catch (error) {
    await tsgo.stop();
    throw error;
  }
}

function projectOf(snapshot: Snapshot, configFile: string): Project {
  const project = snapshot.getProject(configFile);
  if (!project) throw new Error(`tsgo has no project for ${configFile}`);
  return project;
}

async function sourceFileNames(project: Project): Promise<Set<string>> {
  return new Set(await project.program.getSourceFileNames());
}

/**
 * Tells tsgo how each path changed. A deleted or created file changes which files the project's `include` matches,
 * which tsgo re-evaluates only when told so; a path that exists but is not in the program is reported as created,
 * which is right for a new file and harmless for one the program does not include.
 */
function classifyChanges(paths: readonly string[], programFiles: ReadonlySet<string>): FileChangeSummary {
  const changed: string[] = [];
  const created: string[] = [];
  const deleted: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) deleted.push(path);
    else if (programFiles.has(path)) changed.push(path);
    else created.push(path);
  }
  return { changed, created, deleted };
}
