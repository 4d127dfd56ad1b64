// Checks a send's input before anything goes on the wire, in two layers: the validators generated from the spec
// (unchanged in meaning, so they keep agreeing with Prism and IP1), and the client policy on top (policy.ts). Phone
// numbers are normalized to E.164 here (phone.ts), and checked against the spec as they will be sent.
import {
  type ValidationProblem,
  validateNkiUser,
  validateSendNkiToUsersBody,
  validateSendNkiToUsersPathParams,
} from "../generated/validators.js";
import { type Ip1Problem, Ip1ValidationError } from "./errors.js";
import { type DuplicatePhone, normalizePhone, type PhoneCountry, PhoneRegistry } from "./phone.js";
import { controlCharacterProblems, envelopePolicyProblems, nkiPolicyProblems } from "./policy.js";
import type { NkiSendRequest, NkiUser } from "./types-entry.js";

/** How recipients are read: see `defaultCountry` and `duplicatePhones` in the client options. */
export interface RecipientRules {
  defaultCountry?: PhoneCountry | undefined;
  duplicatePhones?: "reject" | "keep-first" | undefined;
}

/** One recipient, checked: the user as it will be sent (Phone in E.164), or every problem with it. */
export interface RecipientCheck {
  /** The normalized user, when it has no problem. */
  user: NkiUser | undefined;
  problems: Ip1Problem[];
}

/**
 * Checks one recipient by the same rules `sendNki` applies to each of `Users`: the spec's `NkiUser` schema, the
 * client policy (no control characters), and a valid phone number, normalized to E.164. `path` prefixes each
 * problem's path (`Users[3]` gives `Users[3].Phone`). For callers that check recipients one at a time, such as a
 * CSV streamed row by row; pair it with a `PhoneRegistry` to find duplicates across rows.
 */
export function validateRecipient(user: unknown, path = "user", rules: RecipientRules = {}): RecipientCheck {
  const record = user !== null && typeof user === "object" && !Array.isArray(user) ? (user as NkiUser) : undefined;
  const phone = typeof record?.Phone === "string" ? normalizePhone(record.Phone, rules.defaultCountry) : undefined;
  // The spec speaks of the number as sent (E.164, at most 16 characters), not as written (`+46 (0)70-000 00 01`).
  const candidate = phone?.ok ? withPhone(record as NkiUser, phone.e164) : user;
  const problems: Ip1Problem[] = [];
  if (!validateNkiUser(candidate)) {
    const spec = toProblems(validateNkiUser.errors, path);
    // A phone that is not a number gets the phone's problem alone, not also its length.
    problems.push(...(phone && !phone.ok ? spec.filter((p) => p.path !== `${path}.Phone`) : spec));
  }
  if (phone && !phone.ok) problems.push({ path: `${path}.Phone`, message: phone.problem });
  if (record) problems.push(...controlCharacterProblems(record, `${path}.`, "Phone")); // Phone: checked above
  return problems.length ? { user: undefined, problems } : { user: candidate as NkiUser, problems };
}

/**
 * `user` as it is sent, with its phone in E.164 (from normalizePhone): a copy only when the number was written
 * otherwise, so that a bulk send of E.164 numbers keeps the caller's objects.
 */
export function withPhone(user: NkiUser, e164: string): NkiUser {
  return e164 === user.Phone ? user : { ...user, Phone: e164 };
}

/** A send, checked and normalized: the body to send (Phones in E.164) and the recipients left out as duplicates. */
export interface PreparedSend {
  body: NkiSendRequest;
  /**
   * With `duplicatePhones: "keep-first"`, each recipient left out because an earlier one has the same phone
   * (positions in the caller's `Users`). Empty otherwise: duplicates are then problems.
   */
  duplicates: DuplicatePhone[];
}

/**
 * Checks `nki` and `body` by the spec and the client policy, normalizes every phone, and finds duplicates across
 * all of `Users`. Throws `Ip1ValidationError` listing every problem by its path; the body it returns keeps every
 * position of `Users` (duplicates included), so chunk `i` still means `Users[i * chunkSize …]`.
 */
export function prepareSend(nki: unknown, body: unknown, rules: RecipientRules = {}): PreparedSend {
  const checked = checkSend(nki, body, rules);
  if (checked.problems.length) throw new Ip1ValidationError(checked.problems);
  return checked.prepared as PreparedSend;
}

/**
 * Every problem of `nki` and `body`, each named by its path (`Users[0].Phone`), without throwing: the verdicts
 * `sendNki` and `assertValidSend` give, as a list (empty when the send is valid). `rules` are the recipient options
 * (`defaultCountry`, `duplicatePhones`), as given to the client or the call. For callers that report problems
 * themselves, such as a form or the CLI; nothing is sent.
 */
export function sendProblems(nki: unknown, body: unknown, rules: RecipientRules = {}): Ip1Problem[] {
  return checkSend(nki, body, rules).problems;
}

/** Throws Ip1ValidationError listing every problem of `nki` and `body` (see {@link sendProblems}). */
export function assertValidSend(nki: unknown, body: unknown, rules?: RecipientRules): asserts body is NkiSendRequest {
  const problems = sendProblems(nki, body, rules);
  if (problems.length) throw new Ip1ValidationError(problems);
}

/** The one check of a send: its problems, and when there are none, the send as it will go out. */
function checkSend(
  nki: unknown,
  body: unknown,
  rules: RecipientRules,
): { problems: Ip1Problem[]; prepared?: PreparedSend } {
  const problems: Ip1Problem[] = [];
  if (!validateSendNkiToUsersPathParams({ nki })) {
    problems.push(...toProblems(validateSendNkiToUsersPathParams.errors, ""));
  }
  problems.push(...nkiPolicyProblems(nki));
  const record = body !== null && typeof body === "object" && !Array.isArray(body) ? body : undefined;
  const users = (record as { Users?: unknown } | undefined)?.Users;
  if (!record || !Array.isArray(users)) {
    if (!validateSendNkiToUsersBody(body)) problems.push(...toProblems(validateSendNkiToUsersBody.errors, ""));
    if (record) problems.push(...envelopePolicyProblems(record as Record<string, unknown>));
    return { problems };
  }
  // The envelope alone, then each user by the one per-recipient check the CLI also uses: same schema, same result.
  const envelope = { ...record, Users: [] };
  if (!validateSendNkiToUsersBody(envelope)) problems.push(...toProblems(validateSendNkiToUsersBody.errors, ""));
  problems.push(...envelopePolicyProblems({ ...envelope, Users: users }));

  const normalized: NkiUser[] = [];
  const seen = new PhoneRegistry(users.length);
  const duplicates: DuplicatePhone[] = [];
  users.forEach((user, index) => {
    const checked = validateRecipient(user, `Users[${index}]`, rules);
    problems.push(...checked.problems);
    if (!checked.user) return;
    normalized.push(checked.user);
    const firstIndex = seen.add(checked.user.Phone, index);
    if (firstIndex === undefined) return;
    if (rules.duplicatePhones === "keep-first") duplicates.push({ phone: checked.user.Phone, firstIndex, index });
    else {
      problems.push({
        path: `Users[${index}].Phone`,
        message: `is the same phone number as Users[${firstIndex}].Phone; each number gets one text (duplicatePhones: "keep-first" sends the first only)`,
      });
    }
  });
  if (problems.length) return { problems };
  return { problems, prepared: { body: { ...(record as NkiSendRequest), Users: normalized }, duplicates } };
}

/**
 * The spec's own checks of a send, without the client policy or phone normalization: what Prism refuses with a 400,
 * and so what the simulator (ip1-nki/mock) refuses. Each problem is named by its path (`Users[0].Phone`).
 */
export function specProblems(nki: unknown, body: unknown): Ip1Problem[] {
  const problems: Ip1Problem[] = [];
  if (!validateSendNkiToUsersPathParams({ nki })) {
    problems.push(...toProblems(validateSendNkiToUsersPathParams.errors, ""));
  }
  if (!validateSendNkiToUsersBody(body)) problems.push(...toProblems(validateSendNkiToUsersBody.errors, ""));
  return problems;
}

function toProblems(errors: ValidationProblem[] | null | undefined, prefix: string): Ip1Problem[] {
  return (errors ?? []).map(({ instancePath, keyword, params, message }) =>
    keyword === "required"
      ? { path: toPath(`${instancePath}/${params.missingProperty}`, prefix), message: "is required" }
      : { path: toPath(instancePath, prefix), message: message ?? keyword },
  );
}

/** "/Users/0/Phone" → "Users[0].Phone"; the root is `prefix`, or "body" without one. */
export function toPath(pointer: string, prefix = ""): string {
  let path = prefix;
  // The schema's property names hold no "/" or "~", so pointer segments need no unescaping.
  for (const segment of pointer.split("/").slice(1)) {
    path += /^\d+$/.test(segment) ? `[${segment}]` : path ? `.${segment}` : segment;
  }
  return path || "body";
}
