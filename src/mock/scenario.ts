// Scenarios: the failures and IP1 behaviours a caller's code must handle, chosen per simulator, for the next
// request, or per request with the `Ip1-Mock-Scenario` header (JSON). Prism's `Prefer: code=N` selects one too.
import { Ip1ConfigurationError } from "../errors.js";

/** What the simulator does with a request; combine any of them. Unset fields mean "as IP1 normally does". */
export interface Ip1MockScenario {
  /**
   * Recipients whose message fails: phone number → the `Status` their record gets (for example 52, "delivery to
   * the phone failed"). The phone is matched after normalization, so `+46 70-123 45 67` names `+46701234567`.
   */
  failed?: Record<string, number>;
  /** Numbers on IP1's blacklist: dropped (no record, nothing sent); a 400 when no recipient remains. */
  blacklisted?: string[];
  /** Answer 429 with `Retry-After: retryAfterSeconds` (default 1), having sent nothing. */
  rateLimited?: { retryAfterSeconds?: number };
  /** Answer 403 (no credits left), having sent nothing. See also the simulator's `credits`. */
  noCredits?: boolean;
  /** Send (the ledger shows every message), then answer this 5xx status (default 500) instead of the records. */
  serverError?: { status?: number };
  /** Send (the ledger shows every message), then never answer: the caller's timeout or abort ends the request. */
  hang?: boolean;
  /** Send (the ledger shows every message), then reset the connection. */
  reset?: boolean;
  /**
   * Reset the connection having sent nothing (nothing in the ledger or the sent log): the client cannot tell this
   * from `reset`, so its outcome is unknown too. For testing that settling leaves such texts unknown.
   */
  dropped?: boolean;
}

/** The request header that selects a scenario over HTTP: JSON of an {@link Ip1MockScenario}. */
export const SCENARIO_HEADER = "Ip1-Mock-Scenario";

/** Headers selecting `scenario` for one request, for example `sendNki(42, body, { headers: scenarioHeaders(…) })`. */
export function scenarioHeaders(scenario: Ip1MockScenario): Record<string, string> {
  return { [SCENARIO_HEADER]: JSON.stringify(checkScenario(scenario, "scenario")) };
}

/** The scenario a request's headers select: its `Ip1-Mock-Scenario`, and Prism's `Prefer: code=N` over it. */
export function scenarioFromHeaders(headers: Headers): Ip1MockScenario & { preferCode?: number } {
  const header = headers.get(SCENARIO_HEADER);
  let scenario: Ip1MockScenario = {};
  if (header) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(header);
    } catch {
      throw new Ip1ConfigurationError(`${SCENARIO_HEADER}: not JSON; give a scenario object such as {"hang":true}.`);
    }
    scenario = checkScenario(parsed, SCENARIO_HEADER);
  }
  const prefer = /(?:^|[;,\s])code=(\d{3})(?:$|[;,\s])/.exec(headers.get("prefer") ?? "");
  return prefer ? { ...scenario, preferCode: Number(prefer[1]) } : scenario;
}

/** Checks a scenario given by a caller, naming the field at fault; returns it unchanged. */
export function checkScenario(value: unknown, where: string): Ip1MockScenario {
  const fail = (field: string, problem: string): never => {
    throw new Ip1ConfigurationError(`${where}.${field}: ${problem}.`);
  };
  if (!isObject(value)) throw new Ip1ConfigurationError(`${where}: must be an object.`);
  const known = ["failed", "blacklisted", "rateLimited", "noCredits", "serverError", "hang", "reset", "dropped"];
  for (const key of Object.keys(value)) if (!known.includes(key)) fail(key, `unknown; use ${known.join(", ")}`);
  const { failed, blacklisted, rateLimited, noCredits, serverError, hang, reset, dropped } = value as Ip1MockScenario;
  if (failed !== undefined) {
    if (!isObject(failed)) fail("failed", "must map phone numbers to a Status");
    for (const [phone, status] of Object.entries(failed)) {
      if (!Number.isInteger(status) || status < 0 || status > 2 ** 31 - 1)
        fail(`failed["${phone}"]`, "must be a Status code");
    }
  }
  if (blacklisted !== undefined && !(Array.isArray(blacklisted) && blacklisted.every((p) => typeof p === "string"))) {
    fail("blacklisted", "must be a list of phone numbers");
  }
  if (rateLimited !== undefined) {
    if (!isObject(rateLimited)) fail("rateLimited", "must be an object");
    const seconds = rateLimited.retryAfterSeconds;
    if (seconds !== undefined && !(Number.isInteger(seconds) && seconds >= 0)) {
      fail("rateLimited.retryAfterSeconds", "must be a whole number of seconds, 0 or more");
    }
  }
  if (serverError !== undefined) {
    if (!isObject(serverError)) fail("serverError", "must be an object");
    const status = serverError.status;
    if (status !== undefined && !(Number.isInteger(status) && status >= 500 && status <= 599)) {
      fail("serverError.status", "must be from 500 to 599");
    }
  }
  for (const [field, flag] of Object.entries({ noCredits, hang, reset, dropped })) {
    if (flag !== undefined && typeof flag !== "boolean") fail(field, "must be true or false");
  }
  return value as Ip1MockScenario;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
