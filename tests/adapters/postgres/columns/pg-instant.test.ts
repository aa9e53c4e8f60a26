/**
 * `instantFromPg` reads the server's timestamptz text through a fast path for its usual form
 * (`YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM]`) and the general path (a regular expression, then
 * `Instant.parse`) for anything else. Property: on texts of the usual form and near it (every
 * fraction length, offsets with minutes or seconds, impossible days, small and large years, a
 * `T`), it answers exactly what the general path alone answers, value or error.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { Instant } from '../../../../src/index.js';
import { instantFromPg } from '../../../../adapters/postgres/columns/pg-instant.js';

/** The general path alone (the regular expression, then Instant.parse): epoch microseconds, or 'throws'. */
function general(value: string): number | 'throws' {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(value);
  const parsed = m ? Instant.parse(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? '00'}`) : null;
  if (!parsed) return 'throws';
  const seconds = Number(m![5] ?? 0);
  return parsed.epochMicros - (m![3]!.startsWith('-') ? -1 : 1) * seconds * 1_000_000;
}

function answer(value: string): number | 'throws' {
  try {
    return instantFromPg(value)!.epochMicros;
  } catch (error) {
    // the general path's error for a text it cannot read
    expect(error).toBeInstanceOf(TypeError);
    return 'throws';
  }
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const text = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1, max: 9999 }), fc.constantFrom(99, 100, 1970, 2000, 2024, 2100, 9999)),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 24 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 60 }),
    fraction: fc.option(fc.stringMatching(/^\d{0,8}$/), { nil: undefined }),
    separator: fc.constantFrom(' ', ' ', ' ', 'T'),
    sign: fc.constantFrom('+', '-', '+'),
    offsetHours: fc.integer({ min: 0, max: 20 }),
    offsetMinutes: fc.option(fc.constantFrom('00', '30', '45', '60', '5'), { nil: undefined }),
    offsetSeconds: fc.option(fc.constantFrom('00', '12'), { nil: undefined }),
    colon: fc.constantFrom(':', ':', ''),
  })
  .map(
    (t) =>
      `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}${t.separator}${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}` +
      `${t.fraction === undefined ? '' : `.${t.fraction}`}${t.sign}${pad(t.offsetHours, 2)}` +
      `${t.offsetMinutes === undefined ? '' : `${t.colon}${t.offsetMinutes}`}` +
      `${t.offsetMinutes !== undefined && t.offsetSeconds !== undefined ? `${t.colon}${t.offsetSeconds}` : ''}`,
  );

describe('instantFromPg', () => {
  test.prop([text], { numRuns: 20_000 })('answers what the general path answers', (value) => {
    expect(answer(value)).toEqual(general(value));
  });

  it('reads the server’s usual forms to the microsecond', () => {
    const cases: [string, string][] = [
      ['2023-12-04 08:45:50.567149+00', '2023-12-04T08:45:50.567149Z'],
      ['2023-12-04 08:45:50+00', '2023-12-04T08:45:50.000Z'],
      ['2023-12-04 08:45:50.5+00', '2023-12-04T08:45:50.500Z'],
      ['2024-02-29 23:59:59.999999-03:30', '2024-03-01T03:29:59.999999Z'],
      ['1700-01-01 00:00:00+05:45', '1699-12-31T18:15:00.000Z'],
    ];
    for (const [value, iso] of cases) expect(instantFromPg(value)!.toString()).toBe(iso);
    expect(() => instantFromPg('2023-02-29 00:00:00+00')).toThrow(TypeError);
    // offsets with seconds: a session TimeZone with a local-mean-time offset then
    expect(instantFromPg('1889-12-31 20:29:08-03:30:52')!.toString()).toBe('1890-01-01T00:00:00.000Z');
    expect(instantFromPg('1890-01-01 05:21:10.5+05:21:10')!.toString()).toBe('1890-01-01T00:00:00.500Z');
    // more than six fraction digits (never from the server): the general path keeps six
    expect(instantFromPg('2023-12-04 08:45:50.1234567+00')!.toString()).toBe('2023-12-04T08:45:50.123456Z');
  });
});
