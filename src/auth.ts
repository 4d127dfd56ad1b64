// Credentials: where they come from, and which URLs they may be sent to.
import type { Middleware } from "openapi-fetch";
import { DEFAULTS } from "./defaults.js";
import { Ip1ConfigurationError } from "./errors.js";
import { givenAuthorization } from "./headers.js";
import type { Ip1ClientOptions, Ip1Environment } from "./options.js";

/**
 * The Authorization header value: Basic with the account id as user and the API key as password, or Bearer with the
 * token (which wins when both are given), or the caller's own `headers.Authorization`, sent as given. Options win
 * over the environment as a whole, so credentials never come half from each.
 */
export function resolveAuthorization(options: Ip1ClientOptions, env: Ip1Environment): string {
  const header = givenAuthorization(options.headers);
  if (typeof header === "string") return authorizationHeader(header, options);
  const fromOptions = Boolean(options.account || options.apiKey || options.token);
  const { account, apiKey, token } = fromOptions
    ? options
    : { account: env.IP1_ACCOUNT, apiKey: env.IP1_API_KEY, token: env.IP1_TOKEN };
  const field = (option: keyof typeof variables): CredentialField =>
    fromOptions
      ? { name: option, label: option }
      : { name: variables[option], label: `${variables[option]} (environment)` };
  if (token) return `Bearer ${headerSafe(token, field("token"))}`;
  if (account && apiKey) {
    if (account.includes(":")) {
      const { name, label } = field("account");
      throw new Ip1ConfigurationError(`${label} must not contain ":" (Basic auth).`, "invalid-credential", [name]);
    }
    return `Basic ${btoa(`${headerSafe(account, field("account"))}:${headerSafe(apiKey, field("apiKey"))}`)}`;
  }
  const missing = account ? "apiKey" : apiKey ? "account" : "credentials";
  const ignored = fromOptions && missing !== "credentials" ? ignoredHalf(missing, env) : "";
  throw new Ip1ConfigurationError(
    `IP1 ${missing} missing: credentials come all from the options or all from the environment, never half from ` +
      `each${ignored}. Pass { account, apiKey } or { token } to createIp1Client, or pass none of them and set ` +
      "IP1_ACCOUNT and IP1_API_KEY, or IP1_TOKEN, in the environment.",
    missing === "credentials" ? "missing-credentials" : "incomplete-credentials",
    missing === "credentials" ? [] : [field(missing).name, field(missing === "apiKey" ? "account" : "apiKey").name],
  );
}

/** Where each credential option is read from when the options give none. */
const variables = { account: "IP1_ACCOUNT", apiKey: "IP1_API_KEY", token: "IP1_TOKEN" } as const;

/** A credential's name as in `Ip1ConfigurationError.fields` (`apiKey`, `IP1_API_KEY`), and as in its message. */
interface CredentialField {
  name: string;
  label: string;
}

/**
 * A caller-given Authorization is the credential, with the checks a token gets. Given alongside account, apiKey or
 * token it is refused: two credentials are ambiguous, and neither may silently win. Never shows the value.
 */
function authorizationHeader(header: string, options: Ip1ClientOptions): string {
  const alongside = (["account", "apiKey", "token"] as const).filter((name) => options[name]);
  if (alongside.length) {
    throw new Ip1ConfigurationError(
      `Both headers.Authorization and ${alongside.join(" and ")} are given: two credentials are ambiguous. Give ` +
        "one: { account, apiKey } or { token }, or an Authorization header alone.",
      "both-credentials",
      ["headers.Authorization", ...alongside],
    );
  }
  if (header === "") {
    throw new Ip1ConfigurationError(
      "headers.Authorization is empty: give the credential (such as `Bearer <token>`), or leave the header out " +
        "and pass { account, apiKey } or { token }.",
      "invalid-credential",
      ["headers.Authorization"],
    );
  }
  return headerSafe(header, { name: "headers.Authorization", label: "headers.Authorization" });
}

/**
 * A credential must be printable ASCII with no space at either end: anything else (a pasted newline, a NUL, a quote
 * from another alphabet) would make a broken header, and fetch's TypeError would print the value. Names the option
 * or variable, never the value.
 */
function headerSafe(value: string, { name, label }: CredentialField): string {
  if (!/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(value)) {
    throw new Ip1ConfigurationError(
      `${label} cannot be sent in a header: it holds a control character (such as a newline), a character outside ` +
        "printable ASCII, or a space at either end. Check how the value was copied.",
      "invalid-credential",
      [name],
    );
  }
  return value;
}

/** Names (never shows) the environment variable that was not used because the options gave the other half. */
function ignoredHalf(missing: "apiKey" | "account", env: Ip1Environment): string {
  const variable = variables[missing];
  const given = missing === "apiKey" ? "account" : "apiKey";
  return env[variable] ? ` (the options give ${given}, so ${variable} in the environment is not used)` : "";
}

/** Checks the base URL once, when the client is made, and drops a trailing slash. */
export function resolveBaseUrl(baseUrl: string): string {
  assertCredentialSafeUrl(baseUrl);
  return baseUrl.replace(/\/+$/, "");
}

/**
 * Credentials may go only to https, or to http on a loopback host (a local mock). Anything else is refused before any
 * network activity. The message names only the protocol and host, never user info or credentials.
 */
export function assertCredentialSafeUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Ip1ConfigurationError(
      `The base URL is not a valid URL: use an https URL such as ${DEFAULTS.baseUrl}.`,
      "invalid-base-url",
      ["baseUrl"],
    );
  }
  const { protocol, hostname } = parsed;
  if (parsed.username || parsed.password) {
    throw new Ip1ConfigurationError(
      `The base URL must not contain user info (user:password@ before ${parsed.host}): pass credentials as ` +
        "{ account, apiKey } or { token }, or in IP1_ACCOUNT and IP1_API_KEY, or IP1_TOKEN.",
      "unsafe-base-url",
      ["baseUrl"],
    );
  }
  const loopback = hostname === "localhost" || hostname === "[::1]" || /^127(\.\d+){3}$/.test(hostname);
  if (protocol !== "https:" && !(protocol === "http:" && loopback)) {
    throw new Ip1ConfigurationError(
      `Refusing to send IP1 credentials to ${protocol}//${parsed.host}: use https (http is allowed only for loopback hosts such as 127.0.0.1).`,
      "unsafe-base-url",
      ["baseUrl"],
    );
  }
}

/**
 * Guards every request of the raw client too, including ones whose per-call baseUrl differs from the client's.
 * URLs under the client's own (already checked) base URL skip the parse.
 */
export function credentialGuard(checkedBaseUrl: string): Middleware {
  const prefix = `${checkedBaseUrl}/`;
  return {
    onRequest({ request }) {
      if (!request.url.startsWith(prefix)) assertCredentialSafeUrl(request.url);
    },
  };
}
