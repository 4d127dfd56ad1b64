// The target of a text is the API it went to, named so that two spellings of one server are one target: a ledger
// keyed by the raw base URL would let `localhost` and `127.0.0.1`, or `HTTPS://API.IP1SMS.COM:443/`, text one person
// twice.
import { Ip1ConfigurationError } from "../errors.js";

/** The target every loopback spelling of a port stands for: `localhost`, `127.x.y.z` and `[::1]` are this host. */
const LOOPBACK = "127.0.0.1";

/**
 * The ledger's name for the API at `baseUrl`: its origin (scheme, host and port; never a path, user info or query),
 * in lower case, without the scheme's default port and without a trailing dot on the host. Every loopback spelling
 * (`localhost`, `127.0.0.1`, `127.1.2.3`, `[::1]`) is written `127.0.0.1`, since on one machine they reach the same
 * test server on a given port. A simulator with no URL is `mock:<name>` (kept as given, in lower case).
 *
 * `https://API.ip1sms.com:443/api` → `https://api.ip1sms.com`; `http://localhost:8080` → `http://127.0.0.1:8080`.
 */
export function canonicalTarget(baseUrl: string): string {
  if (/^mock:/i.test(baseUrl)) {
    const name = baseUrl.slice("mock:".length).trim().toLowerCase();
    if (!name)
      throw new Ip1ConfigurationError('A mock target needs a name after "mock:" (for example mock:simulator).');
    return `mock:${name}`;
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Ip1ConfigurationError(
      "The ledger's target is not a valid URL: give the API's base URL, such as https://api.ip1sms.com.",
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Ip1ConfigurationError(`The ledger's target must be an http or https URL, not ${url.protocol}.`);
  }
  // The URL parser already lower-cases the host, drops the default port and writes 0x7f.1 as 127.0.0.1.
  const host = url.hostname.replace(/\.$/, "");
  const loopback = host === "localhost" || host === "[::1]" || /^127(\.\d+){3}$/.test(host);
  const port = url.port ? `:${url.port}` : "";
  return `${url.protocol}//${loopback ? LOOPBACK : host}${port}`;
}
