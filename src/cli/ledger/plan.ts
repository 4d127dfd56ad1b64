// Decides what a run sends: every chunk for a new job (or --send-again); for --resume only the chunks that never went
// out (never attempted, or refused by IP1 so certainly not sent), and the unknown ones only with --force (they may
// already have texted people).
import { chunkStates } from "./journal.js";
import type { JournalContents } from "./records.js";

export interface SendPlan {
  /** Chunks to send now, ascending. */
  send: number[];
  /** Chunks already sent: never sent again. */
  done: number[];
  /** Chunks IP1 refused last time (nothing was sent), sent again now. */
  retried: number[];
  /** Chunks whose outcome is unknown and that are held back (no --force). */
  held: number[];
  /** Unknown chunks sent again because of --force. */
  forced: number[];
}

export function chunkCount(recipients: number, chunkSize: number): number {
  return Math.ceil(recipients / chunkSize);
}

export function planEverything(chunks: number): SendPlan {
  return { send: Array.from({ length: chunks }, (_, chunk) => chunk), done: [], retried: [], held: [], forced: [] };
}

export function planResume(journal: JournalContents, force: boolean): SendPlan {
  const states = chunkStates(journal.records);
  const plan: SendPlan = { send: [], done: [], retried: [], held: [], forced: [] };
  for (let chunk = 0; chunk < journal.header.chunks; chunk++) {
    const state = states.get(chunk)?.state;
    if (state === undefined) plan.send.push(chunk);
    else if (state === "sent") plan.done.push(chunk);
    else if (state === "failed") {
      plan.retried.push(chunk);
      plan.send.push(chunk);
    } else if (force) {
      plan.forced.push(chunk);
      plan.send.push(chunk);
    } else plan.held.push(chunk);
  }
  return plan;
}
