import { Instant } from '../domain/index.js';
import type { Clock } from '../ports/index.js';

/**
 * The wall clock (`Date.now()`, so millisecond precision held as an {@link Instant}). Calls in
 * the same millisecond get the same (immutable) Instant: one object per millisecond, not per
 * call, which a store that keeps jobs in memory keeps with every job.
 */
export class SystemClock implements Clock {
  private lastMs = Number.NaN;
  private last: Instant | undefined;

  now(): Instant {
    const ms = Date.now();
    if (ms !== this.lastMs || this.last === undefined) {
      this.last = Instant.ofEpochMillis(ms);
      this.lastMs = ms;
    }
    return this.last;
  }
}
