// Follows the texts a ledger holds as sent until each reaches a final Status in IP1's sent log (22 delivered; 42, 51,
// 52 failed: src/status.ts), or until a bound the caller sets. IP1's v1 has no delivery callbacks, and Status 21 "may
// stay in this state until recipient is connected to the GSM network or until 48 hours has passed" (REST-API.md), so
// following takes polling. Each change is recorded in the ledger as it is seen, so a run that stops (a bound, Ctrl-C,
// a crash) resumes where it was: the ledger holds the progress.
import { Ip1RateLimitError } from "./errors.js";
import { FOLLOW_DEFAULTS } from "./follow-settle-defaults.js";
import type { Ledger, LedgerFilter, TextEntry, TextOutcome } from "./ledger/ledger.js";
import { evidenceOf, recordPhone } from "./recipient-outcomes.js";
import { retryAfterMs, sleep as wait } from "./retry.js";
import type { ReadOptions, SentLogReader } from "./sent-log.js";
import { statusOutcome } from "./status.js";
import type { LoggedOutgoingSms } from "./types-entry.js";

export interface FollowOptions {
  /**
   * Which texts to follow: by target, NKI and round. Default: every text the ledger holds as sent or failed.
   * Whatever its target: pass `target: canonicalTarget(baseUrl)` of the client's API when the ledger also holds texts
   * sent elsewhere (a mock), since only that API's log knows them. The CLI always does.
   */
  filter?: Omit<LedgerFilter, "state"> | undefined;
  /** Stop following after this long, in ms (IP1: Status 21 may last up to 48 h). Default: 172 800 000 (48 h). */
  untilMs?: number | undefined;
  /** Stop after this many polls of the log (a poll reads each pending bundle once). Default: no limit. */
  maxPolls?: number | undefined;
  /** The wait between polls, in ms; a 429's Retry-After, when longer, wins. Default: 60 000 (1 minute). */
  intervalMs?: number | undefined;
  /** How to wait between polls. Default: a timer (aborted by `signal`); a test passes one that advances a mock. */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  /** The clock, for the bound and the notes. Default: `Date.now`. */
  now?: (() => number) | undefined;
  /** Stops following between polls (the ledger keeps what was seen). */
  signal?: AbortSignal | undefined;
  /** Called after each poll with the report so far. */
  onPoll?: ((report: DeliveryReport) => void) | undefined;
  /** Passed to every read (a timeout). */
  read?: ReadOptions | undefined;
}

/** Where the followed texts stand. */
export interface DeliveryReport {
  /** Status 22: delivered to the phone. */
  delivered: TextEntry[];
  /** Status 42, 51 or 52 (or failed in the send's answer): not delivered. IP1 says these may be retried. */
  failed: TextEntry[];
  /** Not final yet (0, 21, or a Status this package does not know), or not readable in the log. */
  pending: TextEntry[];
  polls: number;
  /** Why following stopped: every text final, the time or poll bound, or the caller's signal. */
  stoppedBy: "complete" | "until" | "max-polls" | "signal";
  /** The last read that failed (after the read's own retries), if any; following went on. */
  lastError?: Error | undefined;
}

type LogReader = Pick<SentLogReader, "getSentSms" | "listSentSmsInBundle">;

/** Polls IP1's log for the ledger's sent texts until each is final or a bound is reached; see {@link FollowOptions}. */
export async function followDelivery(
  ledger: Ledger,
  client: LogReader,
  options: FollowOptions = {},
): Promise<DeliveryReport> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? wait;
  const intervalMs = options.intervalMs ?? FOLLOW_DEFAULTS.intervalMs;
  const deadline = now() + (options.untilMs ?? FOLLOW_DEFAULTS.untilMs);
  const report: DeliveryReport = { delivered: [], failed: [], pending: [], polls: 0, stoppedBy: "complete" };

  for await (const entry of ledger.list({ ...options.filter, state: ["sent", "failed"] })) {
    // Only texts IP1 answered for can be followed: a failed text with no ID (refused records) is not in the log.
    if (entry.ip1?.id === undefined) continue;
    sortInto(report, entry);
  }

  while (report.pending.length > 0) {
    if (options.signal?.aborted) return { ...report, stoppedBy: "signal" };
    if (options.maxPolls !== undefined && report.polls >= options.maxPolls)
      return { ...report, stoppedBy: "max-polls" };
    let waitMs = report.polls === 0 ? 0 : intervalMs;
    if (now() + waitMs > deadline) return { ...report, stoppedBy: "until" };
    if (waitMs > 0) {
      try {
        await sleep(waitMs, options.signal);
      } catch (error) {
        if (options.signal?.aborted) return { ...report, stoppedBy: "signal" };
        throw error;
      }
    }
    const { records, rateLimitedMs, error } = await readPending(client, report.pending, options.read);
    report.polls++;
    if (error) report.lastError = error;
    const outcomes: TextOutcome[] = [];
    const stillPending: TextEntry[] = [];
    for (const entry of report.pending) {
      const record = records.get(entry);
      if (!record || record.Status === entry.ip1?.status) {
        stillPending.push(entry);
        continue;
      }
      const updated = withStatus(entry, record, now());
      outcomes.push(outcomeOf(updated));
      if (statusOutcome(record.Status) === "in-transit" || statusOutcome(record.Status) === "unknown") {
        stillPending.push(updated);
      } else sortInto(report, updated);
    }
    report.pending = stillPending;
    await ledger.record(outcomes);
    options.onPoll?.(report);
    // A 429 the read's own retries could not get past: wait as long as IP1 asked before the next poll.
    if (rateLimitedMs !== undefined && rateLimitedMs > intervalMs && report.pending.length > 0) {
      waitMs = rateLimitedMs - intervalMs;
      if (now() + waitMs > deadline) return { ...report, stoppedBy: "until" };
      await sleep(waitMs, options.signal).catch(() => undefined);
    }
  }
  return report;
}

/** Reads the pending texts' records: one read per bundle, one per text sent alone. Stops a poll at a 429. */
async function readPending(client: LogReader, pending: readonly TextEntry[], read: ReadOptions | undefined) {
  const records = new Map<TextEntry, LoggedOutgoingSms>();
  const byBundle = new Map<string, TextEntry[]>();
  const alone: TextEntry[] = [];
  for (const entry of pending) {
    const bundle = entry.ip1?.bundleId;
    if (bundle) byBundle.set(bundle, [...(byBundle.get(bundle) ?? []), entry]);
    else alone.push(entry);
  }
  let error: Error | undefined;
  try {
    for (const [bundle, entries] of byBundle) {
      const logged = await client.listSentSmsInBundle(Number(bundle), read);
      const phones = new Set(entries.map((entry) => entry.phone));
      for (const entry of entries) {
        const record =
          logged.find((candidate) => String(candidate.ID) === entry.ip1?.id) ??
          logged.find((candidate) => recordPhone(candidate.To, phones) === entry.phone);
        if (record) records.set(entry, record);
      }
    }
    for (const entry of alone) records.set(entry, await client.getSentSms(Number(entry.ip1?.id), read));
  } catch (caught) {
    if (caught instanceof Ip1RateLimitError) {
      return { records, rateLimitedMs: retryAfterMs(caught.headers.get("retry-after")) ?? 0, error: caught };
    }
    error = caught as Error;
  }
  return { records, rateLimitedMs: undefined, error };
}

function sortInto(report: DeliveryReport, entry: TextEntry): void {
  const outcome = statusOutcome(entry.ip1?.status);
  if (outcome === "delivered") report.delivered.push(entry);
  else if (outcome === "failed" || entry.state === "failed") report.failed.push(entry);
  else report.pending.push(entry);
}

/** The entry as the log now shows it: a failed Status makes the text "failed" (IP1 says it may be retried). */
function withStatus(entry: TextEntry, record: LoggedOutgoingSms, at: number): TextEntry {
  const failed = statusOutcome(record.Status) === "failed";
  const description = record.StatusDescription ? ` (${record.StatusDescription})` : "";
  return {
    ...entry,
    state: failed ? "failed" : "sent",
    ip1: { ...entry.ip1, ...evidenceOf(record) },
    note: `Status ${record.Status}${description} in IP1's log at ${new Date(at).toISOString()}`,
    ...(failed ? { error: `IP1's Status ${record.Status}${description}` } : {}),
  };
}

function outcomeOf(entry: TextEntry): TextOutcome {
  const { target, nki, round, phone, ip1, error, note } = entry;
  return { target, nki, round, phone, state: entry.state === "failed" ? "failed" : "sent", ip1, error, note };
}
