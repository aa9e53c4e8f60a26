import { UnstorableValueError } from '../../../src/index.js';

/**
 * Why a string cannot go into a Postgres `text` column unchanged: a NUL character
 * (Postgres rejects it) or a lone UTF-16 surrogate (UTF-8 cannot encode it; the driver
 * would silently store U+FFFD). Null when the string is storable.
 */
export function unstorableTextReason(s: string): string | null {
  if (s.includes('\u0000')) return 'contains \\u0000 (NUL), which PostgreSQL text cannot hold';
  if (hasLoneSurrogate(s)) return 'contains a lone UTF-16 surrogate, which UTF-8 cannot encode';
  return null;
}

function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/** Refuses (UnstorableValueError naming `field`) a value a `text` column cannot hold; null and undefined pass. */
export function checkText(value: string | null | undefined, field: string): void {
  if (value === null || value === undefined) return;
  const reason = unstorableTextReason(value);
  if (reason) throw new UnstorableValueError(`[${field}] ${reason}.`, field);
}

/** True when a lookup key could never have been stored (so the answer is "not found"). */
export function unstorableKey(s: string): boolean {
  return unstorableTextReason(s) !== null;
}
