// How a recipient is named in the ledger and in reports: "FirstName LastName", either alone when the other is absent.
import type { NkiUser } from "./types-entry.js";

/** `FirstName LastName`, or whichever of the two the user has ("" when neither). */
export function recipientName({ FirstName, LastName }: NkiUser): string {
  return FirstName && LastName ? `${FirstName} ${LastName}` : FirstName || LastName || "";
}
