// TypeScript 7's `tsc --watch` beside `pipeline --watch`: it keeps its program, so a check rereads only what changed.
// tsc names no files and batches events, so before each ask the pipeline writes a marker, a type error naming the ask
// ("ask 7"): the first check reporting it read every earlier write. tsc watches no folder within two levels of /
// (say /work/ip1-nki), so there the pipeline falls back to a fresh tsc per change.
import { spawn } from "node:child_process";
import { replaceFile, root } from "../lib/project.js";
import { nativeTsc } from "../typecheck.js";

/** The library project plus the marker (tsconfig.watch.json); the marker is in .cache/, which git ignores. */
const PROJECT = "tsconfig.watch.json";
const MARKER = ".cache/pipeline-watch.ts";
/** tsc starts a check within milliseconds of an edit it sees: idle for seconds after one (or gone), it did not. */
const MISSED_MS = 3000;

/** What a check found: undefined when it passed, else the error, as `typecheck()` rejects with it. */
type Verdict = Error | undefined;

export interface TypeWatch {
  /** The verdict on the files as they are now; "missed" when tsc starts no check to read them. */
  check(): Promise<Verdict | "missed">;
  stop(): void;
}

export async function watchTypes(): Promise<TypeWatch> {
  let asks = 0;
  const saveMarker = () => replaceFile(MARKER, `export const pipelineWatch: "ask ${asks}" = "checked";\n`);
  saveMarker();
  const args = ["--watch", "--noEmit", "--preserveWatchOutput", "--pretty", "false", "-p", PROJECT];
  // In this process's group, so that a Ctrl-C stops it with the pipeline.
  const tsc = spawn(await nativeTsc(), args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const state = { checking: false, idleSince: 0, output: "" };
  const answers = new Map<number, Verdict>(); // by ask: the verdict of the first check that read its marker
  let partial = "";
  tsc.on("exit", () => Object.assign(state, { checking: false }));
  tsc.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (/ - (Starting compilation|File change detected)/.test(line))
        Object.assign(state, { checking: true, output: "" });
      else if (!/ - Found \d+ errors?\b/.test(line)) state.output += line.trim() ? `${line}\n` : "";
      else {
        Object.assign(state, { checking: false, idleSince: performance.now() });
        const ask = Number(/^\S*pipeline-watch\.ts\(.*"ask (\d+)"/m.exec(state.output)?.[1]);
        const errors = state.output.replace(/^\S*pipeline-watch\.ts\(.*\n/m, "");
        if (!answers.has(ask))
          answers.set(ask, errors ? new Error(`Typecheck failed:\n${errors}`.trimEnd()) : undefined);
      }
    }
  });
  const check = () =>
    new Promise<Verdict | "missed">((resolve) => {
      const [ask, since] = [++asks, performance.now()];
      saveMarker();
      const poll = setInterval(() => {
        const unseen = !state.checking && performance.now() - Math.max(since, state.idleSince) > MISSED_MS;
        if (answers.has(ask)) resolve(answers.get(ask));
        else if (unseen) resolve("missed");
        else return;
        clearInterval(poll);
      }, 5);
    });
  return { check, stop: () => tsc.kill() };
}
