// How a text the simulator sent moves through IP1's statuses over simulated time, as IP1's Status table describes
// (iP1SMS/documentation REST-API.md, "Status codes"): 0 (delivered to the gateway) → 21 (delivered to the GSM
// network) → 22 (delivered to the phone), or to a failure: 51 (the GSM network refused it) or 42 / 52 later.
import { Ip1ConfigurationError } from "../errors.js";
import { seededRandom } from "./seeded-random.js";

/** When statuses move, in simulated milliseconds after the send, and which texts fail. */
export interface Ip1MockDeliveryPlan {
  /** When a text moves from 0 to 21 (or fails with 51). Default: 5 000 (5 s). */
  networkAfterMs?: number;
  /** When a text moves from 21 to 22 (or fails with 42 or 52). Default: 60 000 (1 min); IP1 allows up to 48 h. */
  phoneAfterMs?: number;
  /**
   * Phones whose text fails after the send, with the final Status (42, 51 or 52): phone (E.164) → Status. A 51 fails
   * at `networkAfterMs`, any other at `phoneAfterMs`. (For a Status already failed in the send's 200 record, use the
   * scenario's `failed`.)
   */
  failLater?: Record<string, number>;
  /** The share (0 to 1) of the other texts that end in 52, chosen by the simulator's seed. Default 0. */
  failureRate?: number;
}

export const DEFAULT_DELIVERY = { networkAfterMs: 5_000, phoneAfterMs: 60_000, failureRate: 0 } as const;

/** A text's Status at `elapsedMs` after its send, and how long after the send it last changed. */
export interface StatusAt {
  status: number;
  changedAfterMs: number;
}

/** The Status of a text at `elapsedMs`, from its Status in the send's record and the plan. */
export function statusAt(
  plan: Required<Omit<Ip1MockDeliveryPlan, "failLater">> & { failLater: Record<string, number> },
  text: { id: number; phone: string; sentStatus: number },
  elapsedMs: number,
  seed: number,
): StatusAt {
  // A record that did not start at 0 (a failure, or a scripted 21/22) stays as the send answered.
  if (text.sentStatus !== 0) return { status: text.sentStatus, changedAfterMs: 0 };
  const final = plan.failLater[text.phone] ?? (seededRandom(seed ^ text.id)() < plan.failureRate ? 52 : 22);
  if (elapsedMs < plan.networkAfterMs) return { status: 0, changedAfterMs: 0 };
  if (final === 51) return { status: 51, changedAfterMs: plan.networkAfterMs };
  if (elapsedMs < plan.phoneAfterMs) return { status: 21, changedAfterMs: plan.networkAfterMs };
  return { status: final, changedAfterMs: plan.phoneAfterMs };
}

/** Checks a plan given by a caller, naming the field at fault; returns it with the defaults filled in. */
export function checkDeliveryPlan(value: Ip1MockDeliveryPlan | undefined) {
  const plan = { ...DEFAULT_DELIVERY, failLater: {}, ...value };
  const fail = (field: string, problem: string): never => {
    throw new Ip1ConfigurationError(`mock delivery.${field}: ${problem}.`);
  };
  for (const field of ["networkAfterMs", "phoneAfterMs"] as const) {
    if (!(Number.isSafeInteger(plan[field]) && plan[field] >= 0))
      fail(field, "must be a whole number of ms, 0 or more");
  }
  if (plan.phoneAfterMs < plan.networkAfterMs) fail("phoneAfterMs", "must not be before networkAfterMs");
  if (!(typeof plan.failureRate === "number" && plan.failureRate >= 0 && plan.failureRate <= 1)) {
    fail("failureRate", "must be a number from 0 to 1");
  }
  if (typeof plan.failLater !== "object" || plan.failLater === null || Array.isArray(plan.failLater)) {
    fail("failLater", "must map phone numbers to a Status such as 52");
  }
  for (const [phone, status] of Object.entries(plan.failLater)) {
    if (![42, 51, 52].includes(status)) fail(`failLater["${phone}"]`, "must be 42, 51 or 52");
  }
  return plan;
}
