// Request headers, merged by openapi-fetch's own mergeHeaders: the client's headers are built here once, and
// openapi-fetch merges each call's headers over them with the same function, so the rules are the same at both
// levels: later sources win, and `null` removes a header. The caller's headers are also read here, entry by entry and
// without building Headers (which throws quoting the value), to find the secrets among them.
import { type HeadersOptions, mergeHeaders } from "openapi-fetch";
import type { Ip1Problem } from "./errors.js";

/** The client's headers, in order of precedence (last wins): defaults, auth and user agent, the caller's headers. */
export function buildClientHeaders(authorization: string, userAgent: string, extra: HeadersOptions | undefined) {
  return mergeHeaders(
    { Accept: "application/json", "Content-Type": "application/json" },
    { Authorization: authorization, "User-Agent": userAgent },
    asRecord(extra),
  );
}

/**
 * The caller's headers as an object, the form mergeHeaders reads by name: it reads a list of pairs by index, which
 * would send `[["Authorization", "Bearer …"]]` as a header named "0".
 */
export function asRecord(headers: HeadersOptions | undefined): Record<string, string | string[] | null> | undefined {
  if (!Array.isArray(headers)) return headers as Record<string, string | null> | undefined;
  const record: Record<string, string | string[] | null> = {};
  for (const [name, value] of headerEntries(headers)) {
    const before = record[name];
    record[name] = value === null || before == null ? value : [before, value].flat();
  }
  return record;
}

/**
 * Whether a header carries a secret by its name: Authorization (any scheme), Proxy-Authorization, X-Authorization,
 * and any name that says key, token, secret, signature, password or cookie (X-Api-Key, X-Auth-Token, …).
 */
export function isSecretHeader(name: string): boolean {
  return /authorization|key|token|secret|signature|password|cookie/i.test(name);
}

/** The values of the secret-looking headers the caller gave (a Headers, a list of pairs or an object). */
export function secretHeaderValues(headers: HeadersOptions | undefined): string[] {
  return headerEntries(headers)
    .filter(([name, value]) => value !== null && isSecretHeader(name))
    .map(([, value]) => value as string);
}

/** The caller's Authorization header as it would be sent (undefined when not given, or removed by `null`). */
export function givenAuthorization(headers: HeadersOptions | undefined): string | undefined {
  let found: string[] | undefined;
  for (const [name, value] of headerEntries(headers)) {
    if (name.toLowerCase() !== "authorization") continue;
    // As mergeHeaders does: a name's values are appended, and null removes it.
    found = value === null ? undefined : [...(found ?? []), value];
  }
  return found?.join(", ");
}

/** Headers whose name or value fetch would refuse, named by path and never quoted (the value may be a secret). */
export function headerProblems(headers: HeadersOptions | undefined, path: string): Ip1Problem[] {
  return headerEntries(headers).flatMap(([name, value]) => {
    try {
      if (value !== null) new Headers().append(name, value);
      return [];
    } catch {
      return [
        {
          path: `${path}["${name}"]`,
          message: "cannot be sent: its name or value holds a character a header cannot (such as a newline)",
        },
      ];
    }
  });
}

/** Each header given, in order, one entry per value; a name in an object or a Headers may repeat in a list. */
type HeaderEntry = [name: string, value: string | null];

function headerEntries(headers: HeadersOptions | undefined): HeaderEntry[] {
  if (!headers) return [];
  if (headers instanceof Headers) {
    const given: HeaderEntry[] = [];
    headers.forEach((value, name) => {
      given.push([name, value]);
    });
    return given;
  }
  const entries: [string, unknown][] = Array.isArray(headers) ? headers : Object.entries(headers);
  return entries.flatMap(([name, value]): HeaderEntry[] => {
    if (value === undefined) return [];
    if (value === null) return [[name, null]];
    return (Array.isArray(value) ? value : [value]).map((item): HeaderEntry => [name, String(item)]);
  });
}
