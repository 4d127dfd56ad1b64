// One change between two versions of the API, as `npm run api:diff` reports it, and the one place that collects
// them (a component used in several places yields one change that lists every place).

/** Which way data flows through what changed: a request the client builds, or a response the client reads. */
export type ApiSide = "request" | "response";

/** For clients: whether code written against the old spec can fail against the new one. */
export type ChangeSeverity = "breaking" | "compatible";

/** How the change reads in the changelog (breaking changes go under "Breaking" whatever their kind). */
export type ChangeKind = "added" | "removed" | "changed";

/** Who decided the severity: openapi-diff, its engine json-schema-diff, or a rule in scripts/lib (for what they miss). */
export type ChangeSource = "openapi-diff" | "json-schema-diff" | "rule";

export interface ApiChange {
  /** Stable id, `area:subject:aspect` (e.g. `request:NkiUser.Phone:maxLength`); what an acknowledgement names. */
  id: string;
  severity: ChangeSeverity;
  kind: ChangeKind;
  /** What changed: a schema field (`NkiUser.Phone`), an operation (`POST /api/nkis/{nki}/users/send`), a scheme. */
  subject: string;
  /** The change itself, e.g. `maxLength 16 → 12`. */
  change: string;
  /** Why it is breaking or compatible for a client. */
  why: string;
  /** Every place it shows, e.g. `POST /api/nkis/{nki}/users/send request body`. */
  where: string[];
  classifiedBy: ChangeSource;
}

/** Collects changes by id: the same change reached from several places is one change with every place listed. */
export class ChangeList {
  readonly #byId = new Map<string, ApiChange>();

  add(change: ApiChange): void {
    const known = this.#byId.get(change.id);
    if (!known) {
      this.#byId.set(change.id, { ...change, where: [...change.where] });
      return;
    }
    for (const place of change.where) if (!known.where.includes(place)) known.where.push(place);
    // The same id from two places cannot differ in substance; if it ever does, the stricter verdict stands.
    if (change.severity === "breaking" && known.severity !== "breaking")
      Object.assign(known, { ...change, where: known.where });
  }

  has(predicate: (change: ApiChange) => boolean): boolean {
    return [...this.#byId.values()].some(predicate);
  }

  /** Breaking first, then by id, so reports and changelogs are stable. */
  sorted(): ApiChange[] {
    return [...this.#byId.values()].sort(
      (a, b) => Number(b.severity === "breaking") - Number(a.severity === "breaking") || a.id.localeCompare(b.id),
    );
  }
}
