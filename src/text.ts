// Text rules shared by the phone parser and the client policy.

// C0 and C1 controls and DEL (Unicode category Cc): NUL, CR, LF, TAB, ESC, …. None belongs in a phone number or a
// recipient's name (a CR or LF splits a CSV or log line, a NUL truncates text in some gateways); a message may hold
// line breaks (see below).
const controlCharacter = /\p{Cc}/u;

/** Whether `text` holds a control character (NUL, CR, LF, TAB, DEL, …). */
export function containsControlCharacter(text: string): boolean {
  return controlCharacter.test(text);
}

// The same, but LF and CR are allowed: both are in GSM 03.38's basic table, so a message may hold line breaks.
const controlCharacterBesidesLineBreaks = /[^\P{Cc}\n\r]/u;

/** Whether `text` holds a control character other than LF and CR (NUL, TAB, DEL, …). */
export function containsControlCharacterBesidesLineBreaks(text: string): boolean {
  return controlCharacterBesidesLineBreaks.test(text);
}
