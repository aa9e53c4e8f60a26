import { Instant } from '../domain/index.js';
import type { Clock } from '../ports/index.js';

/** The wall clock (`Date.now()`, so millisecond precision held as an {@link Instant}). */
export class SystemClock implements Clock {
  now(): Instant {
    return Instant.ofEpochMillis(Date.now());
  }
}
