// Whether an Authorization header is well formed for the spec's security schemes (HTTP Basic or Bearer), judged
// exactly as Prism 5.14 judges it, so the simulator and the project's oracle answer 401 for the same requests.
// No credential is checked against anything: a mock has no accounts.

/**
 * Basic: the first space-separated word is `basic` in any case, and the second decodes (leniently, as Node's base64
 * decoder does) to text with exactly one `:`. Bearer: `Bearer`, one whitespace character, then anything.
 */
export function isWellFormedAuthorization(header: string | null): boolean {
  if (!header) return false;
  return isBasic(header) || /^Bearer\s.+$/.test(header);
}

function isBasic(header: string): boolean {
  const [scheme = "", token] = header.split(" ");
  return scheme.toLowerCase() === "basic" && !!token && decodeBase64(token).split(":").length === 2;
}

function decodeBase64(text: string): string {
  if (typeof Buffer === "function") return Buffer.from(text, "base64").toString();
  // Outside Node (MSW in a browser): atob is stricter than Buffer, so keep only what Buffer would read.
  const cleaned = text.replace(/[-_]/g, (c) => (c === "-" ? "+" : "/")).replace(/[^A-Za-z0-9+/]/g, "");
  try {
    return new TextDecoder().decode(
      Uint8Array.from(atob(cleaned.slice(0, cleaned.length - (cleaned.length % 4 === 1 ? 1 : 0))), (c) =>
        c.charCodeAt(0),
      ),
    );
  } catch {
    return "";
  }
}
