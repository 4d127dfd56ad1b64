// What passes between the simulator's doors (fetch, MSW, HTTP) and its core, in a file of its own so the doors and
// the core do not import each other.

/** A request as the doors hand it to the core. */
export interface MockRequest {
  method: string;
  /** An absolute URL or a path; only the path is read. */
  url: string;
  headers: Headers;
  body: string;
}

/** What the core decided: an HTTP answer, or no answer at all (the doors hang or reset the connection). */
export type MockAnswer =
  | { kind: "response"; status: number; headers: Record<string, string>; body: unknown }
  | { kind: "hang" }
  | { kind: "reset" };
