import { Instant } from '../../../src/index.js';

/**
 * A `timestamptz` as the executors give it (the server's text, `2023-12-04 08:45:50.567149+00`
 * in any session time zone) as an Instant, microseconds kept. The usual form goes through
 * {@link pgTimestamptzText}, anything else through the general path (a regular expression, then
 * `Instant.parse`); both give the same answer (`tests/adapters/postgres/columns/pg-instant.test.ts`).
 */
export function instantFromPg(value: unknown): Instant | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const fast = pgTimestamptzText(value);
    if (fast !== null) return fast;
  }
  if (value instanceof Date) return Instant.fromDate(value);
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(String(value));
  const parsed = m ? Instant.parse(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? '00'}`) : null;
  if (!parsed) throw new TypeError(`unexpected timestamptz text from the database: ${String(value)}`);
  // An offset with seconds: a session TimeZone whose zone had a local-mean-time offset then
  // (`1889-12-31 20:29:08-03:30:52` in America/St_Johns): local = UTC + offset.
  const seconds = m![5] === undefined ? 0 : Number(m![5]);
  return seconds === 0 ? parsed : Instant.ofEpochMicros(parsed.epochMicros - (m![3]!.startsWith('-') ? -1 : 1) * seconds * 1_000_000);
}

/** The digit at `i` of `s` (0-9), or -1. */
function digitAt(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** The two-digit number at `i` of `s`, or -1. */
function twoDigits(s: string, i: number): number {
  const a = digitAt(s, i);
  const b = digitAt(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The server's timestamptz text in its usual form, `YYYY-MM-DD HH:MM:SS[.f{1,6}]±HH[:MM]`
 * (a year of 100 or more), as an Instant by character codes, without a regular expression or an
 * ISO string in between: a job read parses five timestamps, and the general path is a sizeable
 * part of decoding a job (docs/decisions/0003-postgres-values-as-the-driver-gives-them.md). Null for
 * any other form or an impossible date: the general path then decides (and throws for what it
 * cannot read), so both paths give the same answer.
 */
function pgTimestamptzText(s: string): Instant | null {
  const n = s.length;
  if (n < 22 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return null;
  }
  const y1 = twoDigits(s, 0);
  const y2 = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (y1 < 1 || y2 < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return null;
  }
  const year = y1 * 100 + y2;
  if (day > DAYS_IN_MONTH[month - 1]! && !(month === 2 && day === 29 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))) return null;
  let i = 19;
  let micros = 0;
  if (s.charCodeAt(i) === 46) {
    let scale = 100_000;
    for (i++; i < n && scale >= 1; i++, scale /= 10) {
      const d = digitAt(s, i);
      if (d < 0) break;
      micros += d * scale;
    }
    if (i === 20 || digitAt(s, i) >= 0) return null;
  }
  const sign = s.charCodeAt(i) === 43 ? 1 : s.charCodeAt(i) === 45 ? -1 : 0;
  const oh = twoDigits(s, i + 1);
  if (sign === 0 || oh < 0 || oh > 18) return null;
  i += 3;
  let om = 0;
  if (i < n) {
    om = s.charCodeAt(i) === 58 ? twoDigits(s, i + 1) : -1;
    if (om < 0 || om > 59 || i + 3 !== n) return null;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - sign * (oh * 60 + om) * 60_000;
  const total = ms * 1000 + micros;
  return Number.isSafeInteger(total) ? Instant.ofEpochMicros(total) : null;
}

/** The last Instant {@link instantToPg} wrote, and its text: a command sets several fields to the same `now`. */
let lastIso: { at: Instant; text: string } | undefined;

/** An Instant as a `timestamptz` parameter: its ISO-8601 text (cast `::timestamptz` in the statement). */
export function instantToPg(d: Instant | null): string | null {
  if (d === null) return null;
  if (lastIso?.at !== d) lastIso = { at: d, text: d.toString() };
  return lastIso.text;
}
