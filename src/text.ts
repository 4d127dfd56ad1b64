// Text rules shared by the phone parser and the client policy.

// C0 and C1 controls and DEL (Unicode category Cc): NUL, CR, LF, TAB, ESC, …. None belongs in an SMS field, a CR or
// LF can split a CSV line or a log line, and a NUL truncates text in some gateways.
const controlCharacter = /\p{Cc}/u;

/** Whether `text` holds a control character (NUL, CR, LF, TAB, DEL, …). */
export function containsControlCharacter(text: string): boolean {
  return controlCharacter.test(text);
}
