// The one place where the options, the environment and the defaults are merged, and the checks of the options a call
// can also give. The client imports it, and the CLI for the base URL its ledger records texts under.
import { resolveAuthorization, resolveBaseUrl } from "./auth.js";
import { DEFAULTS } from "./defaults.js";
import { Ip1ConfigurationError, type Ip1Problem } from "./errors.js";
import { buildClientHeaders, headerProblems, secretHeaderValues } from "./headers.js";
import type { Ip1ClientOptions, Ip1Environment, RecipientOptions, SendOptions } from "./options.js";
import { isPhoneCountry, type PhoneCountry } from "./phone.js";
import type { SendLimits } from "./policy.js";
import { createRedactor, type Redactor, secretsOfCredential } from "./redact.js";
import type { RetryPolicy } from "./retry.js";
import { VERSION } from "./version.js";

/** The client's settings after merging options, environment and defaults; built once per client. */
export interface ResolvedClientOptions {
  baseUrl: string;
  headers: Headers;
  timeoutMs: number | false;
  retry: RetryPolicy;
  fetch: ((request: Request) => Promise<Response>) | undefined;
  recipients: { defaultCountry: PhoneCountry | undefined; duplicatePhones: "reject" | "keep-first" };
  limits: SendLimits;
  /** Removes this client's credentials and secret headers from whatever a server sends back; widened per call. */
  redactor: Redactor;
}

const defaultEnv = (): Ip1Environment => (typeof process === "object" ? process.env : {});

/** The one place where options, the environment and the defaults are merged. Throws `Ip1ConfigurationError`. */
export function resolveClientOptions(options: Ip1ClientOptions): ResolvedClientOptions {
  const env = options.env ?? defaultEnv();
  const baseUrl = baseUrlOf(options);
  const problems = [
    ...timeoutProblems(options.timeoutMs, "timeoutMs"),
    ...recipientOptionProblems(options),
    ...byteLimitProblems(options.maxRequestBytes, "maxRequestBytes"),
    ...byteLimitProblems(options.maxResponseBytes, "maxResponseBytes"),
    ...headerProblems(options.headers, "headers"),
  ];
  if (problems.length) {
    throw new Ip1ConfigurationError(
      `Invalid client options: ${problems.map((p) => `${p.path} ${p.message}`).join("; ")}.`,
      "invalid-option",
      problems.map((p) => p.path),
    );
  }
  const authorization = resolveAuthorization(options, env);
  return {
    baseUrl,
    headers: buildClientHeaders(authorization, options.userAgent ?? `ip1-nki/${VERSION}`, options.headers),
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    recipients: {
      defaultCountry: options.defaultCountry,
      duplicatePhones: options.duplicatePhones ?? "reject",
    },
    limits: {
      maxRequestBytes: options.maxRequestBytes ?? DEFAULTS.maxRequestBytes,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
    },
    // Derived once: the credential sent, and every secret-looking header the caller gave (see isSecretHeader).
    redactor: createRedactor(
      [authorization, ...secretHeaderValues(options.headers)].flatMap((secret) => secretsOfCredential(secret)),
    ),
    retry: {
      maxRetries: options.maxRetries ?? DEFAULTS.maxRetries,
      maxDelayMs: options.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs,
      retryUnknownOutcome: options.dangerouslyRetryUnknownOutcome === true,
      onRetry: options.onRetry,
    },
    fetch: options.fetch,
  };
}

/**
 * The base URL a client made with these options sends to: `baseUrl`, else `IP1_BASE_URL` in `env`, else
 * `DEFAULTS.baseUrl`; checked (see assertCredentialSafeUrl), with no trailing slash. Throws `Ip1ConfigurationError`.
 */
export function baseUrlOf(options: Pick<Ip1ClientOptions, "baseUrl" | "env">): string {
  const env = options.env ?? defaultEnv();
  return resolveBaseUrl(options.baseUrl ?? env.IP1_BASE_URL ?? DEFAULTS.baseUrl);
}

/**
 * The longest `timeoutMs`: setTimeout fires at once for a delay above 2^31 - 1 ms, so Infinity or a year would time
 * out every call at once. The CLI's `--timeout-ms` takes the same range.
 */
export const LONGEST_TIMEOUT_MS = 2 ** 31 - 1;

/** The longest ledger `round` (a campaign or ticket id), in characters; the CLI's `--round` takes the same. */
export const LONGEST_ROUND = 200;

/** Problems of a `timeoutMs` (client or call): a whole number of milliseconds in setTimeout's range, or false. */
export function timeoutProblems(value: unknown, path: string): Ip1Problem[] {
  if (value === undefined || value === false) return [];
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= LONGEST_TIMEOUT_MS
    ? []
    : [
        {
          path,
          message: `must be a whole number of milliseconds from 1 to ${LONGEST_TIMEOUT_MS}, or false for no timeout`,
        },
      ];
}

/** Problems of `defaultCountry` and `duplicatePhones` (client or call). */
export function recipientOptionProblems(options: RecipientOptions): Ip1Problem[] {
  const problems: Ip1Problem[] = [];
  if (options.defaultCountry !== undefined && !isPhoneCountry(options.defaultCountry)) {
    problems.push({ path: "defaultCountry", message: "must be an ISO 3166-1 alpha-2 country code such as SE" });
  }
  const duplicates = options.duplicatePhones;
  if (duplicates !== undefined && duplicates !== "reject" && duplicates !== "keep-first") {
    problems.push({ path: "duplicatePhones", message: 'must be "reject" or "keep-first"' });
  }
  return problems;
}

/** Problems of the ledger options of a call: a round or a ledger flag without a ledger would protect nobody. */
export function ledgerOptionProblems(options: SendOptions): Ip1Problem[] {
  const problems: Ip1Problem[] = [];
  if (!options.ledger) {
    for (const name of ["round", "sendAgain", "forceUnknown", "ledgerTarget", "lineOf"] as const) {
      if (options[name] !== undefined) {
        problems.push({ path: name, message: "takes effect only with a ledger: pass ledger too" });
      }
    }
    return problems;
  }
  const { round } = options;
  if (round !== undefined && !(typeof round === "string" && round.length >= 1 && round.length <= LONGEST_ROUND)) {
    problems.push({ path: "round", message: `must be a string of 1 to ${LONGEST_ROUND} characters` });
  }
  return problems;
}

function byteLimitProblems(value: unknown, path: string): Ip1Problem[] {
  if (value === undefined) return [];
  return Number.isSafeInteger(value) && (value as number) >= 1
    ? []
    : [{ path, message: "must be a whole number of bytes, 1 or more" }];
}
