// The defaults of followDelivery and settleUnknowns, apart from their code: Node's entry of the package exports these
// as they are and loads the code at its first call (scripts/build.ts), so a cold import runs neither. It imports
// neither module, so no import circle runs through it.

/** The defaults of `FollowOptions` (delivery.ts), in one place (the CLI's help reads them too). */
export const FOLLOW_DEFAULTS = { untilMs: 172_800_000, intervalMs: 60_000 } as const;

/** The defaults of `SettleOptions` (settle.ts), in one place (the CLI's help reads them too). */
export const SETTLE_DEFAULTS = {
  windowMs: 900_000,
  clockSkewMs: 120_000,
  inFlightGraceMs: 120_000,
  phonesPerSearch: 50,
} as const;
