/**
 * An instant on the UTC time line with microsecond precision: what upstream's Java `Instant`
 * keeps for the sync job timestamps (Elasticsearch's own clock gives microseconds; stats'
 * `last_seen` `2023-12-04T08:45:50.567149Z` must read back exactly) and what PostgreSQL's
 * `timestamptz` holds. A JavaScript `Date` keeps only milliseconds.
 *
 * Held as a safe integer of microseconds since 1970-01-01T00:00:00Z (exact up to the year
 * 2255). Immutable: share it freely.
 */
export class Instant {
  private constructor(
    /** Microseconds since the epoch (may be negative). */
    readonly epochMicros: number,
  ) {}

  /** The instant `micros` microseconds after the epoch. RangeError unless a safe integer. */
  static ofEpochMicros(micros: number): Instant {
    if (!Number.isSafeInteger(micros)) throw new RangeError(`not a whole number of microseconds: ${micros}`);
    return new Instant(micros);
  }

  /** The instant `ms` milliseconds after the epoch (a fraction of a millisecond is kept to the microsecond, floored). */
  static ofEpochMillis(ms: number): Instant {
    return Instant.ofEpochMicros(Math.floor(ms * 1000));
  }

  /** The instant a Date holds (millisecond precision). RangeError for an invalid Date. */
  static fromDate(date: Date): Instant {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new RangeError('invalid Date');
    return Instant.ofEpochMicros(ms * 1000);
  }

  /**
   * Parses an ISO-8601 date-time with a `Z` or `±hh:mm` offset, as Java's `Instant.parse`
   * (`DateTimeFormatter.ISO_INSTANT`, offsets accepted): `YYYY-MM-DDTHH:mm:ss[.f{1,9}](Z|±hh:mm)`.
   * Digits past the microsecond are dropped (truncated). Returns null for anything else.
   */
  static parse(text: string): Instant | null {
    const m = ISO.exec(text);
    if (!m) return null;
    const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as string[];
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    const hour = Number(h);
    const minute = Number(mi);
    const second = Number(s);
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
    if (hour > 23 || minute > 59 || second > 59) return null;
    let offsetMinutes = 0;
    if (zone !== 'Z' && zone !== 'z') {
      const sign = zone!.startsWith('-') ? -1 : 1;
      const oh = Number(zone!.slice(1, 3));
      const om = Number(zone!.slice(4, 6));
      if (oh > 18 || om > 59) return null;
      offsetMinutes = sign * (oh * 60 + om);
    }
    const utcMs = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
    // Date.UTC maps years 0..99 to 1900..1999; ISO years are 4 digits here, so only year < 100 needs it.
    const ms = year < 100 ? fixSmallYear(year, month, day, hour, minute, second) - offsetMinutes * 60_000 : utcMs;
    const micros = frac ? Number((frac + '00000').slice(0, 6)) : 0;
    const total = ms * 1000 + micros;
    return Number.isSafeInteger(total) ? new Instant(total) : null;
  }

  /** Milliseconds since the epoch (floored). */
  get epochMillis(): number {
    return Math.floor(this.epochMicros / 1000);
  }

  /** A Date at this instant's millisecond (the microseconds are dropped). */
  toDate(): Date {
    return new Date(this.epochMillis);
  }

  /**
   * ISO-8601 UTC as Elasticsearch writes an Instant (`strict_date_optional_time_nanos`): at
   * least three fraction digits, trailing zeros past them dropped:
   * `2023-12-04T08:45:50.567149Z`, `2023-12-04T08:45:50.500Z`, `2023-12-04T08:45:50.000Z`.
   */
  toString(): string {
    const base = new Date(this.epochMillis).toISOString(); // ...ss.mmmZ, ms floored
    const micros = this.epochMicros - this.epochMillis * 1000; // 0..999
    if (micros === 0) return base;
    // 1..999 µs past the millisecond: up to three more digits, trailing zeros dropped
    const extra =
      micros % 100 === 0 ? String(micros / 100) : micros % 10 === 0 ? `${micros < 100 ? '0' : ''}${micros / 10}` : `${micros < 10 ? '00' : micros < 100 ? '0' : ''}${micros}`;
    return `${base.slice(0, -1)}${extra}Z`;
  }

  /** JSON form: {@link toString}. */
  toJSON(): string {
    return this.toString();
  }

  /** Same instant. */
  equals(other: Instant): boolean {
    return this.epochMicros === other.epochMicros;
  }

  /** Negative, zero or positive as this instant is before, at or after `other`. */
  compareTo(other: Instant): number {
    return this.epochMicros - other.epochMicros;
  }

  /** This instant plus `micros` microseconds. */
  plusMicros(micros: number): Instant {
    return Instant.ofEpochMicros(this.epochMicros + micros);
  }
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysIn(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function fixSmallYear(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y);
  return date.getTime();
}
