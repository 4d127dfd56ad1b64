// What a send did to each of its recipients, kept as the library reports each chunk (after the ledger recorded it),
// so that a report can be printed at the end, or at once on a second Ctrl-C with the chunks in flight named as such.
// Memory stays flat whatever the input's size: counts, one byte of state per recipient, and full lines only for the
// recipients that need attention; with --json every recipient's line waits in a temporary file (TextSpill).
// The exit code is decided here, from the recipients' states, by the table in exit-codes.ts.
import type {
  BulkChunkResult,
  BulkResult,
  Ip1Evidence,
  Ledger,
  NkiUser,
  TextEntry,
  TextOutcome,
  TextState,
} from "../index.js";
import { recipientName } from "../recipient-name.js";
import { ExitCode } from "./exit-codes.js";
import type { TextSpill } from "./text-spill.js";

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
  /** How many were held as sent. */
  sent: number;
  /** Their phones, kept only with --send-again (to mark whom it texts a second time). */
  sentPhones?: Set<string>;
  /** In flight or unknown: listed, since --force texts them. */
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
  /** The recipients that need attention (failed, refused, unknown, in flight, held as in flight or unknown). */
  attention: RecipientLine[];
  /**
   * Every recipient the run reached, in input order, as JSON (only with a spill, that is with --json). On a second
   * Ctrl-C, recipients the run had not yet read from the input are counted as not sent but not listed.
   */
  texts(): Iterable<string>;
  /** Records IP1 returned for phones that were not sent. */
  unexpectedRecords: string[];
  /** Recipients whose outcome the ledger could not record (it holds them in flight: unknown to the next run). */
  unrecorded: number;
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
  /** How many recipients the send has (the first pass counted them). */
  total: number;
  chunkSize: number;
  heldBefore: LedgerHeld;
  /** Where every recipient's line waits for the report (--json); without it only counts and attention are kept. */
  spill?: TextSpill | undefined;
}

/** A part of the input handed to the library at once: recipients `start` to `start + users.length - 1`. */
export interface Window {
  start: number;
  users: NkiUser[];
  lines: (number | undefined)[];
}

type Outcome = NonNullable<BulkChunkResult["recipients"]>[number];
type Finished = Exclude<RecipientState, "in-flight" | "not-sent">;

export class SendTally {
  readonly #info: TallyInfo;
  readonly #counts: Record<Finished, number> = { sent: 0, failed: 0, refused: 0, unknown: 0, held: 0 };
  readonly #held: Partial<Record<TextState, number>> = {};
  /** Full lines of the finished recipients that need attention, by index. */
  readonly #attention = new Map<number, RecipientLine>();
  /** Lines that left the attention list after being spilled as a reference (see refreshHeldInFlight). */
  readonly #reported = new Map<number, RecipientLine>();
  /** Chunks handed to the library and not finished, by global index. */
  readonly #inFlight = new Set<number>();
  readonly #chunks = { sent: 0, failed: 0, unknown: 0, skipped: 0 };
  readonly #unexpected: string[] = [];
  readonly #notes: string[] = [];
  /** Outcomes the ledger could not record: it holds them in flight, so their state is unknown. */
  readonly #unrecorded: TextOutcome[] = [];
  readonly #heldBefore: Map<string, "send-again" | "force">;
  #sentAgain = 0;
  #forced = 0;
  /** The window being sent: its users name the recipients of chunks in flight. */
  #window: Window | undefined;
  /** Recipients in finished chunks, for the progress bar. */
  done = 0;

  constructor(info: TallyInfo) {
    this.#info = info;
    this.#heldBefore = new Map([
      ...[...(info.heldBefore.sentPhones ?? [])].map((phone) => [phone, "send-again"] as const),
      ...info.heldBefore.unknown.map((entry) => [entry.phone, "force"] as const),
    ]);
  }

  /** The window now handed to the library; its chunk indexes are offset by its start. */
  sending(window: Window): void {
    this.#window = window;
  }

  /** Global chunk `index` was handed to the library: claimed and sent from now on. */
  started(index: number): void {
    this.#inFlight.add(index);
  }

  /** A chunk of the current window finished (its `index`, `start` and `end` are the window's own). */
  finished(chunk: BulkChunkResult): void {
    const window = this.#window as Window;
    const chunkIndex = window.start / this.#info.chunkSize + chunk.index;
    this.#inFlight.delete(chunkIndex);
    this.#chunks[chunk.outcome]++;
    this.done += chunk.end - chunk.start;
    const outcomes = new Map((chunk.recipients ?? []).map((recipient) => [recipient.index, recipient]));
    const lines: string[] = [];
    for (let local = chunk.start; local < chunk.end; local++) {
      const index = window.start + local;
      const outcome = outcomes.get(local);
      const line = this.#lineOf(window, local, outcome?.outcome ?? "not-sent", outcome);
      if (outcome) {
        this.#counts[outcome.outcome]++;
        if (outcome.heldAs) this.#held[outcome.heldAs] = (this.#held[outcome.heldAs] ?? 0) + 1;
        if (line.again === "send-again") this.#sentAgain++;
        if (line.again === "force") this.#forced++;
      }
      if (needsAttention(line)) this.#attention.set(index, line);
      lines.push(needsAttention(line) ? `#${index}` : JSON.stringify(line));
    }
    this.#info.spill?.write(chunkIndex, lines);
    if (chunk.unexpected) this.#unexpected.push(...chunk.unexpected);
    if (chunk.ledgerError) {
      for (const outcome of chunk.recipients ?? []) {
        if (outcome.outcome !== "held") this.#unrecorded.push(this.#outcomeOf(outcome));
      }
    }
    const ledgerError = chunk.ledgerError ?? (chunk.error?.name === "Ip1LedgerError" ? chunk.error : undefined);
    if (ledgerError && !this.#notes.includes(ledgerError.message)) this.#notes.push(ledgerError.message);
  }

  /** The library's result for the current window: every chunk was reported through `finished`, so a cross-check. */
  ended(result: BulkResult): void {
    const window = this.#window as Window;
    const first = window.start / this.#info.chunkSize;
    const unreported = result.chunks.filter((chunk) => chunk && this.#inFlight.has(first + chunk.index)).length;
    if (unreported) this.note(`${unreported} chunk outcomes reached the report late; the ledger holds them.`);
  }

  /** This run's outcomes that the ledger could not record (to write them into a ledger that lost them). */
  outcomes(): TextOutcome[] {
    return [...this.#unrecorded];
  }

  /** Every outcome of this run is now recorded (written back after the ledger's file was lost). */
  recorded(): void {
    this.#unrecorded.length = 0;
  }

  note(text: string): void {
    this.#notes.push(text);
  }

  /** Whether this run claimed nobody: every recipient was held or never tried. */
  nothingClaimed(): boolean {
    const { sent, failed, refused, unknown } = this.#counts;
    return sent + failed + refused + unknown === 0 && this.#inFlight.size === 0;
  }

  /**
   * Recipients held as in flight were being sent by another run when this one claimed them: their state now is the
   * truth to report (sent, most likely).
   */
  async refreshHeldInFlight(ledger: Ledger): Promise<void> {
    const { ledgerTarget: target, nki, round } = this.#info;
    for (const [index, line] of this.#attention) {
      if (line.state !== "held" || line.heldAs !== "in-flight") continue;
      const entry = await ledger.get({ target, nki, round, phone: line.phone });
      if (!entry || entry.state === "in-flight") continue;
      this.#held["in-flight"] = (this.#held["in-flight"] ?? 1) - 1;
      this.#held[entry.state] = (this.#held[entry.state] ?? 0) + 1;
      line.heldAs = entry.state;
      if (!needsAttention(line)) this.#attention.delete(index);
      this.#reported.set(index, line);
    }
  }

  report(): SendReport {
    const { total, chunkSize } = this.#info;
    const inFlight = this.#inFlightLines();
    const inFlightCount = inFlight.length;
    const finished = Object.values(this.#counts).reduce((sum, count) => sum + count, 0);
    const recipients: SendReport["recipients"] = {
      total,
      ...this.#counts,
      "in-flight": inFlightCount,
      "not-sent": total - finished - inFlightCount,
    };
    const attention = [...this.#attention.entries(), ...inFlight].sort(([a], [b]) => a - b).map(([, line]) => line);
    const { ledger, target, ledgerTarget, nki, round, input } = this.#info;
    const held = { ...this.#held };
    for (const state of Object.keys(held) as TextState[]) if (!held[state]) delete held[state];
    return {
      ledger,
      target,
      ledgerTarget,
      nki,
      round,
      input,
      recipients,
      held,
      sentAgain: this.#sentAgain,
      forced: this.#forced,
      chunks: { total: Math.ceil(total / chunkSize), ...this.#chunks, inFlight: this.#inFlight.size },
      attention,
      texts: () => this.#texts(new Map(inFlight)),
      unexpectedRecords: [...this.#unexpected],
      unrecorded: this.#unrecorded.length,
      notes: [...this.#notes],
      exitCode: exitCodeOf(recipients, held, this.#unrecorded.length),
    };
  }

  /** Every line, in input order: the spilled chunks, then the current window's chunks not finished. */
  *#texts(inFlight: Map<number, RecipientLine>): Iterable<string> {
    const spill = this.#info.spill;
    if (!spill) return;
    const window = this.#window;
    const { chunkSize } = this.#info;
    for (let chunk = 0; chunk * chunkSize < this.#info.total; chunk++) {
      const spilled = spill.read(chunk);
      if (spilled) {
        for (const line of spilled) {
          if (!line.startsWith("#")) yield line;
          else {
            const index = Number(line.slice(1));
            yield JSON.stringify(this.#attention.get(index) ?? this.#reported.get(index));
          }
        }
        continue;
      }
      if (!window) continue;
      const start = chunk * chunkSize - window.start;
      if (start < 0 || start >= window.users.length) continue;
      for (let local = start; local < Math.min(start + chunkSize, window.users.length); local++) {
        const line = inFlight.get(window.start + local) ?? this.#lineOf(window, local, "not-sent", undefined);
        yield JSON.stringify(line);
      }
    }
  }

  /** The recipients of the chunks in flight now, by index. */
  #inFlightLines(): [number, RecipientLine][] {
    const window = this.#window;
    if (!window) return [];
    const { chunkSize } = this.#info;
    const lines: [number, RecipientLine][] = [];
    for (const chunk of [...this.#inFlight].sort((a, b) => a - b)) {
      const start = chunk * chunkSize - window.start;
      for (let local = start; local < Math.min(start + chunkSize, window.users.length); local++) {
        lines.push([window.start + local, this.#lineOf(window, local, "in-flight", undefined)]);
      }
    }
    return lines;
  }

  #lineOf(window: Window, local: number, state: RecipientState, outcome: Outcome | undefined): RecipientLine {
    const user = window.users[local] as NkiUser;
    const name = recipientName(user);
    const line: RecipientLine = { phone: user.Phone, ...(name ? { name } : {}), state };
    const csvLine = window.lines[local];
    if (csvLine !== undefined) line.line = csvLine;
    if (outcome?.heldAs) line.heldAs = outcome.heldAs;
    if (outcome?.ip1) line.ip1 = outcome.ip1;
    if (outcome?.error) line.error = outcome.error;
    const again = state !== "held" && state !== "not-sent" ? this.#heldBefore.get(user.Phone) : undefined;
    if (again) line.again = again;
    return line;
  }

  #outcomeOf(outcome: Outcome): TextOutcome {
    const { ledgerTarget: target, nki, round } = this.#info;
    return {
      target,
      nki,
      round,
      phone: outcome.phone,
      state: outcome.outcome as TextOutcome["state"],
      ...(outcome.ip1 ? { ip1: outcome.ip1 } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
    };
  }
}

/** Whether the text report names this recipient: anything but sent, held as sent, or not sent. */
function needsAttention(line: RecipientLine): boolean {
  if (line.state === "held") return line.heldAs !== "sent";
  return line.state !== "sent" && line.state !== "not-sent";
}

/**
 * The exit code of a send, by the table in exit-codes.ts: 3 when anyone may or may not have been texted (this run's
 * unknowns, chunks still in flight, people the ledger holds as in flight or unknown, or outcomes it could not
 * record); 2 when this run texted
 * nobody because the ledger held them; 1 when not everyone was texted; 0 when everyone is held as sent.
 */
export function exitCodeOf(recipients: SendReport["recipients"], held: SendReport["held"], unrecorded = 0): ExitCode {
  const inDoubt = recipients.unknown + recipients["in-flight"] + (held["in-flight"] ?? 0) + (held.unknown ?? 0);
  if (inDoubt + unrecorded > 0) {
    return ExitCode.unknown;
  }
  const claimed = recipients.sent + recipients.failed + recipients.refused;
  if (claimed === 0 && recipients.held > 0) return ExitCode.usage;
  if (recipients.failed + recipients.refused + recipients["not-sent"] > 0) return ExitCode.someFailed;
  return ExitCode.ok;
}
