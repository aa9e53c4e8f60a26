import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { Instant } from '../../src/index.js';

const p = (s: string): Instant | null => Instant.parse(s);

describe('Instant.parse and toString (strict_date_optional_time_nanos)', () => {
  it('keeps microseconds: upstream last_seen reads back exactly', () => {
    expect(p('2023-12-04T08:45:50.567149Z')!.toString()).toBe('2023-12-04T08:45:50.567149Z');
    expect(p('2023-12-04T08:45:50.567149Z')!.epochMicros).toBe(1701679550567149);
  });

  it('fraction digits 1 to 9: at least three written, trailing zeros dropped, nanoseconds truncated', () => {
    const cases: [string, string][] = [
      ['2023-12-04T08:45:50Z', '2023-12-04T08:45:50.000Z'],
      ['2023-12-04T08:45:50.5Z', '2023-12-04T08:45:50.500Z'],
      ['2023-12-04T08:45:50.56Z', '2023-12-04T08:45:50.560Z'],
      ['2023-12-04T08:45:50.567Z', '2023-12-04T08:45:50.567Z'],
      ['2023-12-04T08:45:50.5671Z', '2023-12-04T08:45:50.5671Z'],
      ['2023-12-04T08:45:50.56714Z', '2023-12-04T08:45:50.56714Z'],
      ['2023-12-04T08:45:50.567140Z', '2023-12-04T08:45:50.56714Z'],
      ['2023-12-04T08:45:50.5671499Z', '2023-12-04T08:45:50.567149Z'],
      ['2023-12-04T08:45:50.56714999Z', '2023-12-04T08:45:50.567149Z'],
      ['2023-12-04T08:45:50.567149999Z', '2023-12-04T08:45:50.567149Z'],
      ['2023-12-04T08:45:50.000500Z', '2023-12-04T08:45:50.0005Z'],
      ['2023-12-04T08:45:50.000001Z', '2023-12-04T08:45:50.000001Z'],
    ];
    for (const [input, out] of cases) expect(p(input)!.toString(), input).toBe(out);
  });

  it('offsets are applied; z is accepted', () => {
    expect(p('2023-12-04T10:45:50.5+02:00')!.toString()).toBe('2023-12-04T08:45:50.500Z');
    expect(p('2023-12-04T05:15:50-03:30')!.toString()).toBe('2023-12-04T08:45:50.000Z');
    expect(p('2023-12-04T08:45:50.1z')!.toString()).toBe('2023-12-04T08:45:50.100Z');
    expect(p('2024-01-01T00:30:00+01:00')!.toString()).toBe('2023-12-31T23:30:00.000Z');
  });

  it('refuses invalid dates and shapes', () => {
    for (const bad of [
      '2023-02-29T00:00:00Z',
      '2023-13-01T00:00:00Z',
      '2023-00-01T00:00:00Z',
      '2023-04-31T00:00:00Z',
      '2023-12-04T24:00:00Z',
      '2023-12-04T08:60:00Z',
      '2023-12-04T08:45:60Z',
      '2023-12-04T08:45:50',
      '2023-12-04 08:45:50Z',
      '2023-12-04T08:45:50.Z',
      '2023-12-04T08:45:50.1234567890Z',
      '2023-12-04T08:45:50+19:00',
      '2023-12-04T08:45:50+02:60',
      '2023-12-04',
      '',
      'not a date',
    ]) {
      expect(p(bad), bad).toBeNull();
    }
    expect(p('2024-02-29T00:00:00Z')).not.toBeNull();
    expect(p('2000-02-29T00:00:00Z')).not.toBeNull();
    expect(p('1900-02-29T00:00:00Z')).toBeNull();
  });

  it('before 1970; outside the safe-integer range of microseconds (about 1685 to 2255) is refused', () => {
    expect(p('1969-12-31T23:59:59.999999Z')!.epochMicros).toBe(-1);
    expect(Instant.ofEpochMicros(-1).toString()).toBe('1969-12-31T23:59:59.999999Z');
    expect(p('1700-01-01T00:00:00Z')!.toString()).toBe('1700-01-01T00:00:00.000Z');
    expect(p('2255-01-01T00:00:00Z')!.toString()).toBe('2255-01-01T00:00:00.000Z');
    expect(p('0099-01-01T00:00:00Z')).toBeNull();
    expect(p('2300-01-01T00:00:00Z')).toBeNull();
  });

  it('ofEpochMicros refuses non-integers; ofEpochMillis and Dates keep what they hold', () => {
    expect(() => Instant.ofEpochMicros(1.5)).toThrow(RangeError);
    expect(() => Instant.ofEpochMicros(2 ** 53)).toThrow(RangeError);
    expect(Instant.ofEpochMillis(1.5).epochMicros).toBe(1500);
    expect(Instant.fromDate(new Date(1000)).epochMicros).toBe(1_000_000);
    expect(() => Instant.fromDate(new Date(NaN))).toThrow(RangeError);
    const i = p('2023-12-04T08:45:50.567149Z')!;
    expect(i.toDate().toISOString()).toBe('2023-12-04T08:45:50.567Z');
    expect(i.toJSON()).toBe(i.toString());
    expect(JSON.stringify({ i })).toBe('{"i":"2023-12-04T08:45:50.567149Z"}');
    expect(i.plusMicros(1).compareTo(i)).toBe(1);
    expect(i.equals(p('2023-12-04T09:45:50.567149+01:00')!)).toBe(true);
  });

  const range = fc.integer({ min: p('1700-01-01T00:00:00Z')!.epochMicros, max: p('2250-12-31T23:59:59.999999Z')!.epochMicros });

  test.prop([range])('toString then parse gives the same instant', (micros) => {
    const i = Instant.ofEpochMicros(micros);
    expect(Instant.parse(i.toString())!.epochMicros).toBe(micros);
  });

  test.prop([range, fc.integer({ min: -18 * 60, max: 18 * 60 })])('an offset names the same instant', (micros, offsetMinutes) => {
    const utc = Instant.ofEpochMicros(micros);
    const local = new Date(utc.epochMillis + offsetMinutes * 60_000).toISOString().slice(0, 19);
    const frac = String(((micros % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0');
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    expect(Instant.parse(`${local}.${frac}${zone}`)!.epochMicros).toBe(micros);
  });
});

describe('Instant.toString', () => {
  test.prop([fc.integer({ min: -8_000_000_000_000_000, max: 8_000_000_000_000_000 })], { numRuns: 5_000 })(
    'is the millisecond ISO text plus the micros past it, three digits with trailing zeros dropped (as padStart and a trim give them)',
    (micros) => {
      const at = Instant.ofEpochMicros(micros);
      const base = new Date(at.epochMillis).toISOString();
      const past = micros - at.epochMillis * 1000;
      const expected = past === 0 ? base : `${base.slice(0, -1)}${String(past).padStart(3, '0').replace(/0+$/, '')}Z`;
      expect(at.toString()).toBe(expected);
      expect(Instant.parse(at.toString())!.epochMicros).toBe(micros);
    },
  );

  it('writes each sub-millisecond remainder', () => {
    const at = (past: number) => Instant.ofEpochMicros(1_701_679_550_567_000 + past).toString();
    expect([at(0), at(1), at(10), at(100), at(120), at(5), at(50), at(500), at(999)]).toEqual([
      '2023-12-04T08:45:50.567Z',
      '2023-12-04T08:45:50.567001Z',
      '2023-12-04T08:45:50.56701Z',
      '2023-12-04T08:45:50.5671Z',
      '2023-12-04T08:45:50.56712Z',
      '2023-12-04T08:45:50.567005Z',
      '2023-12-04T08:45:50.56705Z',
      '2023-12-04T08:45:50.5675Z',
      '2023-12-04T08:45:50.567999Z',
    ]);
  });
});
