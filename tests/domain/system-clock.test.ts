import { describe, expect, it, vi } from 'vitest';
import { Instant, SystemClock } from '../../src/index.js';

describe('SystemClock', () => {
  it('reads Date.now() to the millisecond; calls in the same millisecond share one Instant, a new millisecond gets a new one', () => {
    const spy = vi.spyOn(Date, 'now');
    try {
      const clock = new SystemClock();
      spy.mockReturnValue(1_700_000_000_123);
      const a = clock.now();
      const b = clock.now();
      expect(a).toEqual(Instant.ofEpochMillis(1_700_000_000_123));
      expect(b).toBe(a);
      spy.mockReturnValue(1_700_000_000_124);
      const c = clock.now();
      expect(c).toEqual(Instant.ofEpochMillis(1_700_000_000_124));
      expect(c).not.toBe(a);
      spy.mockReturnValue(1_700_000_000_123);
      expect(clock.now()).toEqual(Instant.ofEpochMillis(1_700_000_000_123));
    } finally {
      spy.mockRestore();
    }
  });
});
