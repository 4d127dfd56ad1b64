// What a send did to each of its recipients, kept as the library reports each chunk (after the ledger recorded it),
// so that a report can be printed at the end, or at once on a second Ctrl-C with the chunks in flight named as such.
// The exit code is decided here, from the recipients' states, by the table in exit-codes.ts.
import type { BulkChunkResult, BulkResult, Ip1Evidence, Ledger, NkiUser, TextEntry, TextState } from "../index.js";
import { ExitCode } from "./exit-codes.js";

/**
 * Where a recipient stands after this run:
 * - `sent`, `failed`, `refused` (IP1 certainly did not send it), `unknown` (it may have): this run's request;
 * - `held`: not sent, because the ledger holds this person as `heldAs` (sent, in flight or unknown) in this round;
 * - `in-flight`: its request was on the wire when the report was printed (a second Ctrl-C): the ledger holds it in
 *   flight, which means unknown;
 * - `not-sent`: this run did not try (it was stopped, or stopped itself after an error), so a rerun sends it.
 */
export type RecipientState = "sent" | "failed" | "refused" | "unknown" | "held" | "in-flight" | "not-sent";

export interface RecipientLine {
  phone: string;
  name?: string;
  /** The CSV line, absent for --to. */
  line?: number;
  state: RecipientState;
  heldAs?: TextState;
  /** IP1's record: its ID, BundleID and Status. */
  ip1?: Ip1Evidence;
  error?: string;
  /** Texted by this run although the ledger held them (with --send-again or --force). */
  again?: "send-again" | "force";
}

/** Who of a send's recipients the ledger held before it started, by the state it held them in. */
export interface LedgerHeld {
  sent: TextEntry[];
  /** In flight or unknown. */
  unknown: TextEntry[];
}

export interface SendReport {
  ledger: string;
  /** Where requests went: "the mock at …" or the API's origin. */
  target: string;
  /** The target the ledger records the texts under (see canonicalTarget). */
  ledgerTarget: string;
  nki: number;
  round: string;
  input: string;
  recipients: Record<RecipientState, number> & { total: number };
  /** The held recipients by the state the ledger holds them in. */
  held: Partial<Record<TextState, number>>;
  /** How many were texted again on purpose: held as sent (--send-again), or in flight or unknown (--force). */
  sentAgain: number;
  forced: number;
  chunks: { total: number; sent: number; failed: number; unknown: number; skipped: number; inFlight: number };
  /** Every recipient, in input order. */
  texts: RecipientLine[];
  /** Records IP1 returned for phones that were not sent. */
  unexpectedRecords: string[];
  /** What went wrong on the way that the states alone do not say (the ledger failing, deleted, …). */
  notes: string[];
  exitCode: ExitCode;
}

interface TallyInfo {
  ledger: string;
  target: string;
  ledgerTarget: string;
  nki: number;
  round: string;
  input: string;
  users: readonly NkiUser[];
  lines: readonly (number | undefined)[];
  chunkSize: number;
  heldBefore: LedgerHeld;
}

type Outcome = NonNullable<BulkChunkResult["recipients"]>[number];

export class SendTally {
  readonly #info: TallyInfo;
  readonly #outcomes: (Outcome | undefined)[];
  readonly #inFlight = new Set<number>();
  readonly #chunks = { sent: 0, failed: 0, unknown: 0, skipped: 0 };
  readonly #unexpected: string[] = [];
  readonly #notes: string[] = [];
  readonly #heldBefore: Map<string, "send-again" | "force">;
  /** Recipients in finished chunks, for the progress bar. */
  done = 0;

  constructor(info: TallyInfo) {
    this.#info = info;
    this.#outcomes = new Array(info.users.length);
    this.#heldBefore = new Map([
      ...info.heldBefore.sent.map((entry) => [entry.phone, "send-again"] as const),
      ...info.heldBefore.unknown.map((entry) => [entry.phone, "force"] as const),
    ]);
  }

  /** Chunk `index` was handed to the library: claimed and sent from now on. */
  started(index: number): void {
    this.#inFlight.add(index);
  }

  finished(chunk: BulkChunkResult): void {
    this.#inFlight.delete(chunk.index);
    this.#chunks[chunk.outcome]++;
    this.done += chunk.end - chunk.start;
    for (const recipient of chunk.recipients ?? []) this.#outcomes[recipient.index] = recipient;
    if (chunk.unexpected) this.#unexpected.push(...chunk.unexpected);
    const ledgerError = chunk.ledgerError ?? (chunk.error?.name === "Ip1LedgerError" ? chunk.error : undefined);
    if (ledgerError && !this.#notes.includes(ledgerError.message)) this.#notes.push(ledgerError.message);
  }

  /** The library's result: every chunk was reported through `finished` already, so only a cross-check is left. */
  ended(result: BulkResult): void {
    const reported = this.#chunks.sent + this.#chunks.failed + this.#chunks.unknown + this.#chunks.skipped;
    if (reported !== result.chunks.filter(Boolean).length) {
      this.note(`${result.chunks.length - reported} chunk outcomes reached the report late; the ledger holds them.`);
    }
  }

  note(text: string): void {
    this.#notes.push(text);
  }

  /** Whether this run claimed nobody: every recipient was held or never tried. */
  nothingClaimed(): boolean {
    return this.#outcomes.every((outcome) => outcome === undefined || outcome.outcome === "held");
  }

  /**
   * Recipients held as in flight were being sent by another run when this one claimed them: their state now is the
   * truth to report (sent, most likely).
   */
  async refreshHeldInFlight(ledger: Ledger): Promise<void> {
    const { ledgerTarget: target, nki, round } = this.#info;
    for (const outcome of this.#outcomes) {
      if (outcome?.outcome !== "held" || outcome.heldAs !== "in-flight") continue;
      const entry = await ledger.get({ target, nki, round, phone: outcome.phone });
      if (entry) outcome.heldAs = entry.state;
    }
  }

  report(): SendReport {
    const { users, lines, chunkSize } = this.#info;
    const recipients: SendReport["recipients"] = {
      total: users.length,
      sent: 0,
      failed: 0,
      refused: 0,
      unknown: 0,
      held: 0,
      "in-flight": 0,
      "not-sent": 0,
    };
    const held: SendReport["held"] = {};
    let sentAgain = 0;
    let forced = 0;
    const texts: RecipientLine[] = [];
    for (let index = 0; index < users.length; index++) {
      const user = users[index] as NkiUser;
      const outcome = this.#outcomes[index];
      const state: RecipientState =
        outcome?.outcome ?? (this.#inFlight.has(Math.floor(index / chunkSize)) ? "in-flight" : "not-sent");
      recipients[state]++;
      const name = [user.FirstName, user.LastName].filter(Boolean).join(" ");
      const line: RecipientLine = { phone: user.Phone, ...(name ? { name } : {}), state };
      const csvLine = lines[index];
      if (csvLine !== undefined) line.line = csvLine;
      if (outcome?.heldAs) {
        line.heldAs = outcome.heldAs;
        held[outcome.heldAs] = (held[outcome.heldAs] ?? 0) + 1;
      }
      if (outcome?.ip1) line.ip1 = outcome.ip1;
      if (outcome?.error) line.error = outcome.error;
      const again = state !== "held" && state !== "not-sent" ? this.#heldBefore.get(user.Phone) : undefined;
      if (again) {
        line.again = again;
        if (again === "send-again") sentAgain++;
        else forced++;
      }
      texts.push(line);
    }
    const { ledger, target, ledgerTarget, nki, round, input } = this.#info;
    return {
      ledger,
      target,
      ledgerTarget,
      nki,
      round,
      input,
      recipients,
      held,
      sentAgain,
      forced,
      chunks: { total: Math.ceil(users.length / chunkSize), ...this.#chunks, inFlight: this.#inFlight.size },
      texts,
      unexpectedRecords: [...this.#unexpected],
      notes: [...this.#notes],
      exitCode: exitCodeOf(recipients, held),
    };
  }
}

/**
 * The exit code of a send, by the table in exit-codes.ts: 3 when anyone may or may not have been texted (this run's
 * unknowns, chunks still in flight, or people the ledger holds as in flight or unknown); 2 when this run texted
 * nobody because the ledger held them; 1 when not everyone was texted; 0 when everyone is held as sent.
 */
export function exitCodeOf(recipients: SendReport["recipients"], held: SendReport["held"]): ExitCode {
  if (recipients.unknown + recipients["in-flight"] + (held["in-flight"] ?? 0) + (held.unknown ?? 0) > 0) {
    return ExitCode.unknown;
  }
  const claimed = recipients.sent + recipients.failed + recipients.refused;
  if (claimed === 0 && recipients.held > 0) return ExitCode.usage;
  if (recipients.failed + recipients.refused + recipients["not-sent"] > 0) return ExitCode.someFailed;
  return ExitCode.ok;
}
