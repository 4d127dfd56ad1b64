// The simulator's clock: simulated time, which moves only when the test says so (`advance`), never with the wall
// clock, so a test of "21 for two days, then 22" takes no time and gives the same answer on every run.
import { Ip1ConfigurationError } from "../errors.js";

export class SimulatedClock {
  #start: number;
  #advancedMs = 0;

  constructor(start: number) {
    this.#start = start;
  }

  /** Milliseconds since the epoch, in simulated time. */
  now(): number {
    return this.#start + this.#advancedMs;
  }

  /** Moves simulated time forward by `ms` (a whole number, 0 or more). */
  advance(ms: number): void {
    if (!(Number.isSafeInteger(ms) && ms >= 0)) {
      throw new Ip1ConfigurationError(`mock advance: ms must be a whole number of milliseconds, 0 or more, not ${ms}.`);
    }
    this.#advancedMs += ms;
  }

  /** Back to `start`, with nothing advanced. */
  reset(start: number): void {
    this.#start = start;
    this.#advancedMs = 0;
  }
}
