// The outcome of an HTTP answer comes from one table (notProcessedStatuses), never from which error classes exist:
// every status from 100 to 599 is checked against the table written out here, and every exported class that
// Ip1ApiError.generate can produce is tied to the statuses it stands for. Adding a class for 409 or 422 cannot
// make those "not-sent": this test would fail first.
import * as ip1 from "ip1-nki";
import { Ip1ApiError } from "ip1-nki";
import { describe, expect, it } from "vitest";
import { notProcessedStatuses, outcomeOfStatus } from "../../src/errors.js";

// The statuses IP1 documents as refused without processing. A redirect (never followed) is not among them: a 303 is
// the usual answer to a POST that was processed.
const expectedNotSent = (status: number) => [400, 401, 403, 404, 429].includes(status);
const allStatuses = Array.from({ length: 500 }, (_, i) => 100 + i);

describe("the outcome table", () => {
  it("is exactly 400, 401, 403, 404 and 429 (every 3xx is unknown)", () => {
    expect(notProcessedStatuses).toEqual([400, 401, 403, 404, 429]);
  });

  it("gives every status from 100 to 599 its outcome from the table, whatever class it gets", () => {
    const wrong = allStatuses.filter((status) => {
      const error = Ip1ApiError.generate(status, { Message: "x" }, new Headers());
      const expected = expectedNotSent(status) ? "not-sent" : "unknown";
      return error.outcome !== expected || outcomeOfStatus(status) !== expected;
    });
    expect(wrong).toEqual([]);
  });

  it("ties every exported Ip1ApiError class to the statuses that produce it, and their outcomes to the table", () => {
    const apiClasses = Object.values(ip1).filter(
      (value): value is typeof Ip1ApiError =>
        typeof value === "function" && (value === Ip1ApiError || value.prototype instanceof Ip1ApiError),
    );
    const statusesOf = new Map<string, number[]>();
    for (const status of allStatuses) {
      const { name } = Ip1ApiError.generate(status, undefined, new Headers());
      statusesOf.set(name, [...(statusesOf.get(name) ?? []), status]);
    }
    const outcomesOf = (statuses: number[]) => [...new Set(statuses.map(outcomeOfStatus))];
    const table = Object.fromEntries(
      apiClasses.map((ErrorClass) => [ErrorClass.name, outcomesOf(statusesOf.get(ErrorClass.name) ?? [])]),
    );
    // A new class must be added here, with the outcomes the table gives its statuses.
    expect(table).toEqual({
      Ip1ApiError: ["unknown"],
      Ip1BadRequestError: ["not-sent"],
      Ip1AuthenticationError: ["not-sent"],
      Ip1NoCreditsError: ["not-sent"],
      Ip1NotFoundError: ["not-sent"],
      Ip1RateLimitError: ["not-sent"],
      Ip1RedirectError: ["unknown"],
      Ip1ServerError: ["unknown"],
    });
  });

  it("an answer abandoned for its size is unknown, even with a status the table calls not processed", () => {
    for (const status of [200, 400, 500]) {
      const error = Ip1ApiError.oversized(status, new Headers(), 1024);
      expect(error.outcome).toBe("unknown");
      expect(error.message).toContain(`IP1 answered ${status}, but with a body over the 1024-byte limit`);
    }
  });
});
