// How a send uses the ledger: claim a request's recipients just before it (one committed transaction), then record
// each one's outcome after the answer, before anyone else (a progress callback, the caller) hears of it.
import { DEFAULTS } from "../defaults.js";
import { Ip1LedgerError } from "../errors.js";
import { recipientName } from "../recipient-name.js";
import type { RecipientResult, SentRecipient } from "../recipient-outcomes.js";
import type { NkiSendRequest, NkiUser } from "../types-entry.js";
import type { Ledger, TextClaim, TextOutcome } from "./ledger.js";

/** What every claim of one send shares. */
export interface LedgerUse {
  ledger: Ledger;
  target: string;
  nki: number;
  round: string;
  messageHash: string;
  from: string;
  again: boolean;
  force: boolean;
  lineOf: ((index: number) => number | undefined) | undefined;
}

export async function ledgerUse(
  ledger: Ledger,
  target: string,
  nki: number,
  body: NkiSendRequest,
  options: {
    round?: string | undefined;
    sendAgain?: boolean | undefined;
    forceUnknown?: boolean | undefined;
    lineOf?: ((index: number) => number | undefined) | undefined;
  },
): Promise<LedgerUse> {
  return {
    ledger,
    target,
    nki,
    round: options.round ?? DEFAULTS.round,
    messageHash: await sha256Hex(body.Message),
    from: body.From,
    again: options.sendAgain === true,
    force: options.forceUnknown === true,
    lineOf: options.lineOf,
  };
}

/** A recipient of one request: its position in `Users` and the user as sent. */
export interface Candidate {
  index: number;
  user: NkiUser;
}

/** Claims the recipients; those the ledger already holds come back as `"held"` results, never to be sent. */
export async function claimRecipients(
  use: LedgerUse,
  candidates: readonly Candidate[],
): Promise<{ claimed: Candidate[]; held: RecipientResult[] }> {
  const { target, nki, round, messageHash, from } = use;
  const claims = candidates.map(({ index, user }) => {
    const claim: TextClaim = { target, nki, round, phone: user.Phone, messageHash, from };
    const name = recipientName(user);
    const line = use.lineOf?.(index);
    if (name) claim.name = name;
    if (line !== undefined) claim.line = line;
    return claim;
  });
  const { refused } = await use.ledger.claim(claims, { again: use.again, force: use.force });
  if (refused.length === 0) return { claimed: [...candidates], held: [] };
  const heldAs = new Map(refused.map(({ claim, state }) => [claim.phone, state]));
  const claimed: Candidate[] = [];
  const held: RecipientResult[] = [];
  for (const candidate of candidates) {
    const state = heldAs.get(candidate.user.Phone);
    if (state === undefined) claimed.push(candidate);
    else held.push({ index: candidate.index, phone: candidate.user.Phone, outcome: "held", heldAs: state });
  }
  return { claimed, held };
}

/**
 * Records the outcomes of claimed recipients (held ones were never claimed by this send, so are left alone). Throws
 * Ip1LedgerError (outcome unknown) when the ledger cannot: the texts then stay in flight there, which means unknown.
 */
export async function recordOutcomes(use: LedgerUse, results: readonly RecipientResult[]): Promise<void> {
  const { target, nki, round } = use;
  const outcomes: TextOutcome[] = [];
  for (const result of results) {
    if (result.outcome === "held") continue;
    const outcome: TextOutcome = { target, nki, round, phone: result.phone, state: result.outcome };
    if (result.ip1) outcome.ip1 = result.ip1;
    if (result.error) outcome.error = result.error;
    outcomes.push(outcome);
  }
  try {
    await use.ledger.record(outcomes);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new Ip1LedgerError(
      `The ledger ${use.ledger.location} could not record the outcome of ${outcomes.length} ` +
        `recipients (${reason}); it holds them as in flight, which counts as unknown: check before sending to them again.`,
      "unknown",
      { cause },
    );
  }
}

export function sentRecipients(candidates: readonly Candidate[]): SentRecipient[] {
  return candidates.map(({ index, user }) => ({ index, phone: user.Phone }));
}

/** Web Crypto rather than node:crypto, so the client's entry imports no Node module. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
