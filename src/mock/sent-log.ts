// The simulator's sent log: every text it "sent" (a 5xx, a hang or a reset after sending included), answered the way
// the spec's sent-log operations describe, with each Status as it stands at the simulated clock's now.
import type { LoggedOutgoingSms, OutgoingSms } from "../types-entry.js";
import type { SimulatedClock } from "./clock.js";
import { type checkDeliveryPlan, statusAt } from "./delivery-plan.js";
import { sentBundleOperation, sentListOperation, sentSmsOperation, statusDescriptions } from "./spec-facts.js";

interface LoggedText {
  record: OutgoingSms;
  /** Simulated ms since the epoch. */
  sentAt: number;
}

/** What a read of the log answers: a status and a JSON body. */
export interface SentLogAnswer {
  status: number;
  body: unknown;
}

/**
 * A path segment the spec's `int32` parameter accepts, read as Prism reads it (a numeric text, `+1` and `1e3`
 * included, since its validator coerces types): the simulator refuses exactly what the oracle refuses.
 */
function isInt32(text: string): boolean {
  const value = Number(text);
  return text.trim() !== "" && Number.isInteger(value) && value >= -(2 ** 31) && value <= 2 ** 31 - 1;
}

export class Ip1MockSentLog {
  readonly #texts: LoggedText[] = [];
  readonly #byId = new Map<number, LoggedText>();
  readonly #clock: SimulatedClock;
  readonly #plan: ReturnType<typeof checkDeliveryPlan>;
  readonly #seed: number;

  constructor(clock: SimulatedClock, plan: ReturnType<typeof checkDeliveryPlan>, seed: number) {
    this.#clock = clock;
    this.#plan = plan;
    this.#seed = seed;
  }

  add(record: OutgoingSms): void {
    const text = { record, sentAt: this.#clock.now() };
    this.#texts.push(text);
    this.#byId.set(record.ID as number, text);
  }

  clear(): void {
    this.#texts.length = 0;
    this.#byId.clear();
  }

  /** Every text as IP1's log shows it now, oldest first. */
  records(): LoggedOutgoingSms[] {
    return this.#texts.map((text) => this.#logged(text));
  }

  /** The answer to a read of the log at `path` (no query string) with `query`; undefined when not a log path. */
  answer(path: string, query: URLSearchParams): SentLogAnswer | undefined {
    const byId = sentSmsOperation.pattern.exec(path);
    if (byId) {
      const id = decode(byId[1] as string);
      if (!isInt32(id)) return invalid("id", id);
      const text = this.#byId.get(Number(id));
      // IP1 documents no answer for an unknown ID; ASP.NET Web API's 404 with a Message is the inference here.
      return text ? { status: 200, body: this.#logged(text) } : notFound(`No sent SMS has the ID ${id}.`);
    }
    const inBundle = sentBundleOperation.pattern.exec(path);
    if (inBundle) {
      const bundle = decode(inBundle[1] as string);
      if (!isInt32(bundle)) return invalid("bundle", bundle);
      const texts = this.#texts.filter((text) => text.record.BundleID === Number(bundle));
      return { status: 200, body: texts.map((text) => this.#logged(text)) };
    }
    if (sentListOperation.pattern.test(path)) {
      const to = listParameter(query, "to");
      const from = listParameter(query, "from");
      const texts = this.#texts.filter(
        ({ record }) =>
          (to.length === 0 || to.includes((record.To ?? "").toLowerCase())) &&
          (from.length === 0 || from.includes(record.From.toLowerCase())),
      );
      return { status: 200, body: texts.map((text) => this.#logged(text)) };
    }
    return undefined;
  }

  #logged({ record, sentAt }: LoggedText): LoggedOutgoingSms {
    const elapsed = this.#clock.now() - sentAt;
    const text = { id: record.ID as number, phone: record.To ?? "", sentStatus: record.Status ?? 0 };
    const { status, changedAfterMs } = statusAt(this.#plan, text, elapsed, this.#seed);
    return {
      Created: new Date(sentAt).toISOString(),
      Modified: new Date(sentAt + changedAfterMs).toISOString(),
      ...record,
      Status: status,
      StatusDescription: statusDescriptions.get(status) ?? `Status ${status}`,
    };
  }
}

/**
 * A list filter's values, lower-cased (IP1: "case insensitive"): `to=a&to=b` and the help page's `to[0]=a&to[1]=b`
 * alike, since ASP.NET Web API binds a list from either.
 */
function listParameter(query: URLSearchParams, name: string): string[] {
  const pattern = new RegExp(`^${name}(\\[\\d+\\])?$`, "i");
  return [...query].filter(([key]) => pattern.test(key)).map(([, value]) => value.toLowerCase());
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function invalid(field: string, value: string): SentLogAnswer {
  return {
    status: 400,
    body: { Message: "The request is invalid.", ModelState: { [field]: [`The value '${value}' is not valid.`] } },
  };
}

function notFound(message: string): SentLogAnswer {
  return { status: 404, body: { Message: message } };
}
