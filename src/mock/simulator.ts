// The simulator's one handler core: a request in, IP1's answer out, and a ledger of what was "sent". The doors
// (fetch, MSW, the HTTP server) only translate to and from it. Requests are authenticated and validated the way
// Prism does on the same spec (it is the project's oracle, and a property test holds them to the same answers);
// valid sends are answered the way IP1 answers: one OutgoingSms per distinct recipient.
import { Ip1ConfigurationError } from "../errors.js";
import { type NormalizedPhone, normalizePhone } from "../phone.js";
import { estimateSegments } from "../segments.js";
import type { NkiSendRequest, OutgoingSms } from "../types-entry.js";
import { specProblems } from "../validate.js";
import { SimulatedClock } from "./clock.js";
import { isWellFormedAuthorization } from "./credentials.js";
import { checkDeliveryPlan, type Ip1MockDeliveryPlan } from "./delivery-plan.js";
import type { MockAnswer, MockRequest } from "./exchange.js";
import { fetchThrough } from "./fetch.js";
import { Ip1MockLedger } from "./ledger.js";
import { DEFAULT_PRICES, type Ip1MockPriceList, segmentPrice, totalPrice } from "./pricing.js";
import { checkScenario, type Ip1MockScenario, scenarioFromHeaders } from "./scenario.js";
import { seededRandom } from "./seeded-random.js";
import { Ip1MockSentLog } from "./sent-log.js";
import { errorMessages, sendPathPattern, sentLogUnauthorizedMessage, statusDescriptions } from "./spec-facts.js";

export interface Ip1MockOptions {
  /** Seeds the IDs and BundleIDs: the same seed and the same requests give the same answers. Default: 1. */
  seed?: number;
  /** Price per segment by country; default {@link DEFAULT_PRICES}. */
  prices?: Ip1MockPriceList;
  /** The `Currency` of every record (ISO 4217 numeric): 752 (SEK, the default) or 978 (EUR). */
  currency?: 752 | 978;
  /**
   * Segments the account can still pay for. A send needing more gets 403 and sends nothing; each send uses up its
   * segments. Default: unlimited.
   */
  credits?: number;
  /** The scenario for every request (see {@link Ip1MockScenario}); a request's own scenario fields win. */
  scenario?: Ip1MockScenario;
  /**
   * How the texts' statuses move over simulated time in the sent log (0 → 21 → 22, or to a failure); see
   * {@link Ip1MockDeliveryPlan}. Time moves only by `advance(ms)`.
   */
  delivery?: Ip1MockDeliveryPlan;
  /** Where simulated time starts (ms since the epoch, or a Date). Default: the wall clock when made or reset. */
  startTime?: number | Date;
}

export type { MockAnswer, MockRequest } from "./exchange.js";

/** Status of a record for a number that is not a phone number: IP1 cannot hand it to the GSM network. */
export const UNDELIVERABLE_STATUS = 51;
const SENT_STATUS = 0;
const INT32_MAX = 2 ** 31 - 1;

/**
 * A simulator of IP1's NKI send and of its log of sent SMS. Hand `fetch` to `createIp1Client({ fetch })`, or serve it
 * with the MSW handlers (`ip1-nki/mock/msw`) or over HTTP (`startIp1MockServer`); every way in reaches `handle`,
 * `ledger` shows what was sent, and `sentLog` what IP1's log says of it at the simulated clock's now (`advance`).
 */
export class Ip1Mock {
  /** Every SMS "sent", with `assertTextedOnce()` to fail a test when anyone was texted twice. */
  readonly ledger = new Ip1MockLedger();
  /** A `fetch` answered by this simulator, for `createIp1Client({ fetch })`; nothing goes on the network. */
  readonly fetch = (input: Request | string | URL, init?: RequestInit): Promise<Response> =>
    fetchThrough(this, input, init);
  readonly #options: Required<Omit<Ip1MockOptions, "credits" | "delivery" | "startTime">> & {
    credits: number | undefined;
    startTime: number | undefined;
  };
  readonly #clock = new SimulatedClock(0);
  /** IP1's log of sent SMS as the simulator keeps it: every text in `ledger`, with its Status at the clock's now. */
  readonly sentLog: Ip1MockSentLog;
  readonly #queuedReads: Ip1MockScenario[] = [];
  readonly #queued: Ip1MockScenario[] = [];
  readonly #phones = new Map<string, NormalizedPhone>();
  #scenario: Ip1MockScenario;
  #creditsLeft: number | undefined;
  #nextId = 0;
  #nextBundleId = 0;
  #requests = 0;

  constructor(options: Ip1MockOptions = {}) {
    const { seed = 1, prices = DEFAULT_PRICES, currency = 752, credits, scenario = {} } = options;
    if (!Number.isInteger(seed)) throw new Ip1ConfigurationError("mock seed: must be a whole number.");
    if (credits !== undefined && !(Number.isInteger(credits) && credits >= 0)) {
      throw new Ip1ConfigurationError("mock credits: must be a whole number of segments, 0 or more.");
    }
    if (currency !== 752 && currency !== 978) throw new Ip1ConfigurationError("mock currency: must be 752 or 978.");
    if (typeof prices !== "object" || prices === null || Array.isArray(prices)) {
      throw new Ip1ConfigurationError('mock prices: must map countries to prices, such as { "SE": 0.35, "*": 0.5 }.');
    }
    for (const [country, price] of Object.entries(prices)) {
      if (!(typeof price === "number" && price >= 0 && Number.isFinite(price))) {
        throw new Ip1ConfigurationError(`mock prices.${country}: must be a price of 0 or more.`);
      }
    }
    const { startTime } = options;
    const start = startTime instanceof Date ? startTime.getTime() : startTime;
    if (start !== undefined && !Number.isSafeInteger(start)) {
      throw new Ip1ConfigurationError("mock startTime: must be a Date or whole milliseconds since the epoch.");
    }
    this.#options = {
      seed,
      prices,
      currency,
      credits,
      scenario: checkScenario(scenario, "scenario"),
      startTime: start,
    };
    this.sentLog = new Ip1MockSentLog(this.#clock, checkDeliveryPlan(options.delivery), seed);
    this.#scenario = this.#options.scenario;
    this.reset();
  }

  /** Segments the account can still pay for, or undefined when unlimited. */
  get creditsLeft(): number | undefined {
    return this.#creditsLeft;
  }

  /** Throws `Ip1MockTextedTwiceError` when any phone got more than one SMS (see `ledger`). */
  assertTextedOnce(): void {
    this.ledger.assertTextedOnce();
  }

  /** Requests answered so far (every status, and hangs and resets). */
  get requestCount(): number {
    return this.#requests;
  }

  /** Replaces the scenario of every later request. */
  use(scenario: Ip1MockScenario): void {
    this.#scenario = checkScenario(scenario, "scenario");
  }

  /**
   * Applies `scenario` to the next send only: the next request that passes authentication and validation (queued:
   * call it twice for the next two).
   */
  once(scenario: Ip1MockScenario): void {
    this.#queued.push(checkScenario(scenario, "scenario"));
  }

  /**
   * Applies `scenario` to the next read of the sent log only (queued like {@link once}). Of a scenario, reads honour
   * `rateLimited`, `serverError`, `hang` and `reset`.
   */
  onceRead(scenario: Ip1MockScenario): void {
    this.#queuedReads.push(checkScenario(scenario, "scenario"));
  }

  /** The simulated clock's now. */
  get now(): Date {
    return new Date(this.#clock.now());
  }

  /** Moves simulated time forward by `ms`: the sent log's statuses move on (see `delivery`); nothing else waits. */
  advance(ms: number): void {
    this.#clock.advance(ms);
  }

  /**
   * Back to the state just after creation: empty ledger and sent log, the options' scenario and credits, the seed's
   * IDs, and the clock at `startTime` (or the wall clock now).
   */
  reset(): void {
    this.ledger.clear();
    this.sentLog.clear();
    this.#clock.reset(this.#options.startTime ?? Date.now());
    this.#queued.length = 0;
    this.#queuedReads.length = 0;
    this.#scenario = this.#options.scenario;
    this.#creditsLeft = this.#options.credits;
    const random = seededRandom(this.#options.seed);
    this.#nextId = 1_000_000 + Math.floor(random() * 100_000_000);
    this.#nextBundleId = 10_000 + Math.floor(random() * 1_000_000);
    this.#requests = 0;
  }

  /** The handler core every door uses: one request in, IP1's answer (or a hang or reset) out. */
  handle(request: MockRequest): MockAnswer {
    this.#requests++;
    const path = request.url.replace(/^[a-z]+:\/\/[^/]+/i, "").replace(/[?#].*$/, "");
    const match = sendPathPattern.exec(path);
    if (!match) return this.#read(request, path);
    if (request.method.toUpperCase() !== "POST")
      return errorAnswer(405, "The requested resource does not support this method.", { Allow: "POST" });
    if (!isWellFormedAuthorization(request.headers.get("authorization"))) {
      return errorAnswer(401, errorMessages[401], { "WWW-Authenticate": 'Basic realm="*",Bearer' });
    }
    const contentType = request.headers.get("content-type");
    if (request.body !== "" && contentType !== null && !/^application\/(.+\+)?json\s*(;|$)/i.test(contentType)) {
      return errorAnswer(415, `The request's Content-Type ${contentType} is not supported; send application/json.`);
    }
    let requested: ReturnType<typeof scenarioFromHeaders>;
    try {
      requested = scenarioFromHeaders(request.headers);
    } catch (error) {
      if (error instanceof Ip1ConfigurationError) return errorAnswer(400, `Mock: ${error.message}`);
      throw error;
    }
    const nkiText = decodePathSegment(match[1] as string);
    const nki = /^-?\d+$/.test(nkiText) ? Number(nkiText) : nkiText;
    const body = parseJson(request.body);
    // The spec's checks alone: the client's policy (phone numbers, sender rule, …) is the client's, not IP1's.
    const problems = specProblems(nki, body);
    if (problems.length > 0) {
      const modelState: Record<string, string[]> = {};
      for (const { path, message } of problems) modelState[path] = [...(modelState[path] ?? []), message];
      const named = Object.entries(modelState).map(([field, messages]) => `${field} ${messages.join(", ")}`);
      return errorAnswer(400, `${errorMessages[400]} ${named.join("; ")}`, {}, { ModelState: modelState });
    }
    // A queued scenario is for the next send that gets this far: a refused request does not use it up.
    return this.#send(nki as number, body as NkiSendRequest, {
      ...this.#scenario,
      ...this.#queued.shift(),
      ...requested,
    });
  }

  /** A read of the sent log (GET only), authenticated as Prism does; reads honour the failure scenarios too. */
  #read(request: MockRequest, path: string): MockAnswer {
    const query = new URLSearchParams(/\?([^#]*)/.exec(request.url)?.[1] ?? "");
    const answer = this.sentLog.answer(path, query);
    if (!answer) return errorAnswer(404, `No HTTP resource was found that matches the request URI ${path}.`);
    if (request.method.toUpperCase() !== "GET")
      return errorAnswer(405, "The requested resource does not support this method.", { Allow: "GET" });
    if (!isWellFormedAuthorization(request.headers.get("authorization"))) {
      return errorAnswer(401, sentLogUnauthorizedMessage, { "WWW-Authenticate": 'Basic realm="*",Bearer' });
    }
    let scenario: ReturnType<typeof scenarioFromHeaders>;
    try {
      scenario = { ...this.#queuedReads.shift(), ...scenarioFromHeaders(request.headers) };
    } catch (error) {
      if (error instanceof Ip1ConfigurationError) return errorAnswer(400, `Mock: ${error.message}`);
      throw error;
    }
    const code = scenario.preferCode;
    if (code === 401) return errorAnswer(401, sentLogUnauthorizedMessage);
    if (scenario.hang) return { kind: "hang" };
    if (scenario.reset) return { kind: "reset" };
    if (scenario.rateLimited || code === 429) {
      const seconds = scenario.rateLimited?.retryAfterSeconds ?? 1;
      return errorAnswer(429, "Too many requests.", { "Retry-After": String(seconds) });
    }
    const serverError = scenario.serverError?.status ?? (scenario.serverError ? 500 : undefined);
    const failing = serverError ?? (code !== undefined && code >= 500 && code <= 599 ? code : undefined);
    if (failing !== undefined) return errorAnswer(failing, "An error has occurred.");
    return { kind: "response", status: answer.status, headers: {}, body: answer.body };
  }

  #send(nki: number, body: NkiSendRequest, scenario: Ip1MockScenario & { preferCode?: number }): MockAnswer {
    const code = scenario.preferCode;
    if (code === 400 || code === 401 || code === 403) return errorAnswer(code, errorMessages[code]);
    if (code === 429) scenario.rateLimited ??= {};
    else if (code !== undefined && code >= 500 && code <= 599) scenario.serverError = { status: code };
    else if (code !== undefined && code !== 200) {
      return errorAnswer(404, `The spec defines no ${code} answer for this operation (Prefer: code=${code}).`);
    }
    if (scenario.rateLimited) {
      const seconds = scenario.rateLimited.retryAfterSeconds ?? 1;
      return errorAnswer(429, "Too many requests.", { "Retry-After": String(seconds) });
    }
    if (scenario.noCredits) return errorAnswer(403, errorMessages[403]);
    if (scenario.dropped) return { kind: "reset" };

    const blacklisted = new Set((scenario.blacklisted ?? []).map((phone) => this.#phoneKey(phone)));
    const failed = new Map(
      Object.entries(scenario.failed ?? {}).map(([phone, status]) => [this.#phoneKey(phone), status]),
    );
    const seen = new Set<string>();
    const recipients: { phone: string; parsed: NormalizedPhone }[] = [];
    let dropped = 0;
    for (const user of body.Users) {
      const parsed = this.#normalize(user.Phone);
      const phone = parsed.ok ? parsed.e164 : user.Phone.trim();
      if (seen.has(phone)) continue;
      seen.add(phone);
      if (blacklisted.has(phone)) dropped++;
      else recipients.push({ phone, parsed });
    }
    if (recipients.length === 0 && dropped > 0) {
      return errorAnswer(400, `${errorMessages[400]} No recipients remain after the blacklist was applied.`);
    }
    const { encoding, segments } = estimateSegments(body.Message);
    if (this.#creditsLeft !== undefined) {
      const needed = segments * recipients.length;
      if (needed > this.#creditsLeft) return errorAnswer(403, errorMessages[403]);
      this.#creditsLeft -= needed;
    }

    const bundleId = this.#take("bundle");
    const hung = scenario.hang ? "hang" : scenario.reset ? "reset" : undefined;
    const answer = hung ?? scenario.serverError?.status ?? (scenario.serverError ? 500 : 200);
    const records = recipients.map(({ phone, parsed }): OutgoingSms => {
      const status = failed.get(phone) ?? (parsed.ok ? SENT_STATUS : UNDELIVERABLE_STATUS);
      const country = parsed.ok ? parsed.country : undefined;
      const price = segmentPrice(this.#options.prices, country, parsed.ok);
      const record: OutgoingSms = {
        ID: this.#take("id"),
        BundleID: bundleId,
        Status: status,
        StatusDescription: statusDescriptions.get(status) ?? `Status ${status}`,
        To: phone,
        ...(country ? { CountryCode: country } : {}),
        Currency: this.#options.currency,
        TotalPrice: totalPrice(price, segments),
        Price: price,
        Encoding: encoding === "GSM-7" ? 0 : 2,
        Segments: segments,
        From: body.From,
        Message: body.Message,
      };
      this.ledger.add({
        phone,
        nki,
        from: body.From,
        message: body.Message,
        status,
        id: record.ID as number,
        bundleId,
        segments,
        answer,
      });
      this.sentLog.add(record);
      return record;
    });
    if (typeof answer === "string") return { kind: answer };
    if (answer !== 200) return errorAnswer(answer, "An error has occurred.");
    return { kind: "response", status: 200, headers: {}, body: records };
  }

  /** Normalizes once per distinct text: a bulk test sends the same numbers many times. */
  #normalize(text: string): NormalizedPhone {
    let parsed = this.#phones.get(text);
    if (!parsed) {
      parsed = normalizePhone(text);
      if (this.#phones.size > 100_000) this.#phones.clear();
      this.#phones.set(text, parsed);
    }
    return parsed;
  }

  #phoneKey(text: string): string {
    const parsed = this.#normalize(text);
    return parsed.ok ? parsed.e164 : text.trim();
  }

  #take(counter: "id" | "bundle"): number {
    const value = counter === "id" ? this.#nextId++ : this.#nextBundleId++;
    if (value > INT32_MAX) throw new Ip1ConfigurationError("mock: IDs ran past int32; call reset().");
    return value;
  }
}

function errorAnswer(
  status: number,
  message: string,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): MockAnswer {
  return { kind: "response", status, headers, body: { Message: message, ...extra } };
}

/** A malformed escape (`%E0`) stays as written, so it is refused as "not an integer" like any other text. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text === "" ? undefined : text;
  }
}

/** Makes a simulator; see {@link Ip1Mock} and {@link Ip1MockOptions}. Throws `Ip1ConfigurationError` for bad options. */
export function createIp1Mock(options: Ip1MockOptions = {}): Ip1Mock {
  return new Ip1Mock(options);
}
