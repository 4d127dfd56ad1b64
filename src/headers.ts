// Request headers, merged by openapi-fetch's own mergeHeaders: the client's headers are built here once, and
// openapi-fetch merges each call's headers over them with the same function, so the rules are the same at both
// levels: later sources win, and `null` removes a header.
import { type HeadersOptions, mergeHeaders } from "openapi-fetch";

/** The client's headers, in order of precedence (last wins): defaults, auth and user agent, the caller's headers. */
export function buildClientHeaders(authorization: string, userAgent: string, extra: HeadersOptions | undefined) {
  return mergeHeaders(
    { Accept: "application/json", "Content-Type": "application/json" },
    { Authorization: authorization, "User-Agent": userAgent },
    extra,
  );
}
