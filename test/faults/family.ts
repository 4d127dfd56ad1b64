// The tests every fault family shares: each row of the catalog gets its own test asserting the typed error, its
// outcome, the requests that reached the server and the retries. Nothing may stay open once a send settles (the
// child looks at its active handles after each one), and the child must then exit by itself with no unhandled
// rejection: the exit is the proof that no timer or socket outlived the sends.
import { beforeAll, expect, it } from "vitest";
import { type Family, familyCases } from "./catalog.js";
import { type ChildExit, type Observed, runFaultCases } from "./harness.js";

export function describeFaultFamily(family: Family) {
  const cases = familyCases(family);
  let run: { observed: Map<string, Observed>; exit: ChildExit } | undefined;
  beforeAll(async () => {
    run = await runFaultCases(cases);
  });

  const observed = (name: string): Observed => {
    const found = run?.observed.get(name);
    if (!found) throw new Error(`no result for "${name}"`);
    return found;
  };

  it("leaves no timer or socket open once each send has settled", () => {
    const open = cases.map(({ name }) => [name, observed(name).result.leftOpen]);
    expect(open).toEqual(cases.map(({ name }) => [name, []]));
  });

  it("the process that sent them exits by itself, with code 0 and no unhandled rejection", () => {
    expect(run?.exit.unhandled).toEqual([]);
    expect({ code: run?.exit.code, signal: run?.exit.signal }, run?.exit.output).toEqual({ code: 0, signal: null });
  });

  for (const entry of cases) {
    const expected = entry.expected;
    if (!expected) continue;
    it(entry.name, () => {
      const { result, requests } = observed(entry.name);
      if (expected.ok) expect(result.error).toBeUndefined();
      if (expected.error) {
        expect(result.ok).toBe(false);
        const { name, status, outcome, code } = result.error ?? {};
        expect({ name, status, outcome, code }).toEqual({
          status: undefined,
          code: undefined,
          ...expected.error,
        });
      }
      expect(requests, "requests that reached the server").toHaveLength(expected.requests);
      expect(
        result.retries.map((retry) => retry.delayMs),
        "waits before retries",
      ).toEqual(expected.retryDelaysMs);
    });
  }

  return observed;
}
