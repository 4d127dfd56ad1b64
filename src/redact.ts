// Redaction: the client's own credentials, removed from every text a server sent back before it reaches an error.
// A server (or a proxy in front of it) may echo the Authorization header, or any other secret-looking header the
// caller gave (see isSecretHeader), in a body, a Message or a header; the error would then carry the key into logs,
// `JSON.stringify(error)` and `util.inspect(error)`.

/** What a redacted secret is replaced with. */
export const redactedMark = "[redacted]";

/** Removes known secrets from server-derived text, JSON values and headers. */
export interface Redactor {
  text(text: string): string;
  /** A JSON value with every string and key redacted (parse first, then redact, so escapes cannot hide a secret). */
  value(value: unknown): unknown;
  /** A copy without the secrets: values redacted, and headers whose name holds a secret dropped. */
  headers(headers: Headers): Headers;
  /** This redactor and more secrets (a call's own headers): the client's set is derived once and widened per call. */
  widen(secrets: readonly string[]): Redactor;
}

/**
 * Every form of the credentials in a secret header's value (`Basic …`, `Bearer …`, any other scheme, or a bare key) a
 * server might echo: the value itself, the part after the scheme (the token or API key), for Basic `account:apiKey`
 * and the key alone, their base64 and base64url, and their URL- and JSON-escaped forms.
 */
export function secretsOfCredential(value: string): string[] {
  const [, scheme = "", credential = ""] = /^(\S*)\s*(.*)$/s.exec(value.trim()) ?? [];
  const raw = [value, value.trim(), credential];
  if (scheme.toLowerCase() === "basic") {
    const decoded = decodeBase64(credential);
    if (decoded !== undefined) raw.push(decoded, decoded.slice(decoded.indexOf(":") + 1));
  } else raw.push(encodeBase64(credential));
  const forms = raw.flatMap((secret) => [
    secret,
    toBase64Url(encodeBase64(secret)),
    encodeBase64(secret),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ]);
  return [...new Set(forms)].filter((secret) => secret.length > 0);
}

/**
 * Shorter "secrets" are left alone: a credential of one to three characters (a garbled Authorization such as
 * `Basic Zw==`, which is "g") cannot be hidden, since redacting it garbles every message ("Messa[redacted]e") and
 * shows the letter by its gaps anyway.
 */
const shortestRedacted = 4;

export function createRedactor(secrets: readonly string[]): Redactor {
  // Longest first, so a secret that contains another is removed whole.
  const ordered = [...new Set(secrets)]
    .filter((secret) => secret.length >= shortestRedacted)
    .sort((a, b) => b.length - a.length);
  const text = (input: string) => {
    let output = input;
    for (const secret of ordered) if (output.includes(secret)) output = output.split(secret).join(redactedMark);
    return output;
  };
  const value = (input: unknown): unknown => {
    if (typeof input === "string") return text(input);
    if (Array.isArray(input)) return input.map(value);
    if (input && typeof input === "object") {
      return Object.fromEntries(Object.entries(input).map(([key, item]) => [text(key), value(item)]));
    }
    return input;
  };
  // Header names arrive lowercased, so a secret in a name is looked for without case.
  const lowered = ordered.map((secret) => secret.toLowerCase());
  const redactor: Redactor = {
    text,
    value,
    headers(input) {
      const output = new Headers();
      input.forEach((item, name) => {
        if (!lowered.some((secret) => name.includes(secret))) output.append(name, text(item));
      });
      return output;
    },
    widen: (more) => (more.length ? createRedactor([...ordered, ...more]) : redactor),
  };
  return redactor;
}

// btoa/atob, not Buffer: the library also runs outside Node. UTF-8 first, as the Basic header is built.
function encodeBase64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function toBase64Url(base64: string): string {
  return base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeBase64(base64: string): string | undefined {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
