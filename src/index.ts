// The "ip1-nki" entry: the client, its errors, and the helpers for segments and per-recipient outcomes.

export {
  type BulkChunkResult,
  type BulkProgress,
  type BulkResult,
  chunkOutcomeOf,
  stopsTheRun,
} from "./bulk.js";
export { ChunkBytes } from "./chunk-bytes.js";
export { createIp1Client, type Ip1Client } from "./client.js";
export { DEFAULTS } from "./defaults.js";
export { type DeliveryReport, type FollowOptions, followDelivery } from "./delivery.js";
export {
  Ip1AbortError,
  Ip1ApiError,
  Ip1AuthenticationError,
  Ip1BadRequestError,
  type Ip1ConfigurationCode,
  Ip1ConfigurationError,
  Ip1ConnectionError,
  Ip1Error,
  Ip1LedgerError,
  Ip1LedgerRefusalError,
  Ip1NoCreditsError,
  Ip1NotFoundError,
  type Ip1Outcome,
  type Ip1Problem,
  Ip1RateLimitError,
  Ip1RedirectError,
  Ip1ServerError,
  Ip1TimeoutError,
  Ip1ValidationError,
  notProcessedStatuses,
  outcomeOfStatus,
} from "./errors.js";
export { FOLLOW_DEFAULTS, SETTLE_DEFAULTS } from "./follow-settle-defaults.js";
export type {
  ClaimOptions,
  ClaimResult,
  Ip1Evidence,
  Ledger,
  LedgerFilter,
  TextClaim,
  TextEntry,
  TextKey,
  TextOutcome,
  TextState,
} from "./ledger/ledger.js";
export { createMemoryLedger, MEMORY_LEDGER } from "./ledger/memory.js";
export { defaultLedgerPath, isPostgresUrl, openLedger } from "./ledger/open.js";
export { canonicalTarget } from "./ledger/target.js";
export type {
  BulkSendOptions,
  Ip1ClientOptions,
  Ip1Environment,
  RecipientOptions,
  RetryEvent,
  SendOptions,
} from "./options.js";
export { isPhoneCountry, type NormalizedPhone, normalizePhone, type PhoneCountry } from "./phone.js";
export { type DuplicatePhone, dedupeByPhone, PhoneRegistry } from "./phone-registry.js";
export { outcomesOfAnswer, outcomesOfError, type RecipientResult, type SentRecipient } from "./recipient-outcomes.js";
export {
  type CharacterPositions,
  estimateSegments,
  explainSegments,
  type SegmentEstimate,
  type SegmentExplanation,
} from "./segments.js";
export type { ReadOptions, SentLogReader, SentSmsQuery } from "./sent-log.js";
export {
  type SettledText,
  type SettleOptions,
  type SettleResult,
  settleUnknowns,
  type UnsettledText,
} from "./settle.js";
export { type RecipientOutcome, type RecipientSummary, statusOutcome, summarize } from "./status.js";
export type { ErrorMessage, LoggedOutgoingSms, NkiSendRequest, NkiUser, OutgoingSms } from "./types-entry.js";
export {
  assertValidSend,
  type RecipientCheck,
  type RecipientRules,
  sendProblems,
  validateRecipient,
} from "./validate.js";
export { VERSION } from "./version.js";
