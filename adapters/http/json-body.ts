/**
 * A body's text as JSON, checked as Elasticsearch checks it: the media type, then the text as
 * its streaming Jackson parser reads it (syntax with `[line:column]`, duplicate keys, nesting
 * depth, and a field error read before a broken spot answering first), and the `[line:column]`
 * of a field error the core reports on a top-level field. The value goes to the core's parser
 * unchanged: the adapter adds no request rules.
 */
import { InvalidRequestError } from '../../src/index.js';
import type { InvalidRequestKind } from '../../src/index.js';
import { JSON_MEDIA_TYPES } from './body.js';
import { HttpError } from './errors.js';
import type { FieldLocator } from './errors.js';
import { NEEDS_SCAN, firstDuplicate, locationPrefix, parseJsonFast, scanJson } from './json-scan.js';
import type { TopLevelEntry } from './json-scan.js';

/**
 * The one locator of field errors: `[line:column]` of a top-level field's name or value in
 * `raw`. Without `entries` the text is scanned on first use: only an error needs positions.
 */
export function fieldLocator(raw: string, entries?: readonly TopLevelEntry[]): FieldLocator {
  let known = entries;
  return (field, at) => {
    known ??= scanJson(raw).entries ?? [];
    const e = known.find((x) => x.key === field);
    return e && locationPrefix(raw, at === 'name' ? e.keyStart : e.valueStart);
  };
}

/**
 * Gives an error the locator of the body it is about, so the error handler can prefix
 * `[line:column]`; an error that already carries one keeps it.
 */
export function located(error: unknown, raw: string): unknown {
  if (typeof error === 'object' && error !== null && !('locate' in error)) Object.assign(error, { locate: fieldLocator(raw) });
  return error;
}

/** Parse errors that upstream raises while reading the tokens, before it could see a later duplicate key. */
const EARLY_KINDS: ReadonlySet<InvalidRequestKind> = new Set(['unknown_field', 'wrong_type', 'failed_to_parse_field']);

/**
 * Throws the error a streaming parser would have raised on the fields it read before a broken
 * spot (a syntax error or a duplicate key): an unknown field, a wrong type, or an enum that fails
 * when the last constructor argument arrives. `pending` is a key whose value was still being
 * read: only its name can fail (unknown field). Other outcomes leave the broken spot to answer.
 * `parse` is the route's parser; only its parse errors count (a validation of the partial
 * body is not one).
 */
function failOnEarlierField(
  raw: string,
  before: readonly TopLevelEntry[],
  parse: (value: unknown) => unknown,
  locate: FieldLocator,
  pending?: { key: string; keyStart: number },
): void {
  const prefix: Record<string, unknown> = {};
  const set = (key: string, value: unknown): void => {
    Object.defineProperty(prefix, key, { value, enumerable: true, writable: true, configurable: true });
  };
  for (const e of before) set(e.key, JSON.parse(raw.slice(e.valueStart, e.valueEnd)));
  if (pending) set(pending.key, null);
  try {
    parse(prefix);
  } catch (error) {
    if (!(error instanceof InvalidRequestError) || !EARLY_KINDS.has(error.kind)) return;
    if (pending && error.field === pending.key && error.kind !== 'unknown_field') return;
    const where: FieldLocator = pending
      ? (field, at) => (field === pending.key ? locationPrefix(raw, pending.keyStart) : locate(field, at))
      : locate;
    throw Object.assign(error, { locate: where });
  }
}

/**
 * The JSON value of a body's text (`raw`, '' when there is none: `undefined`). Elasticsearch's
 * checks, in its order: media type (406), then the text as a streaming parser reads it: a
 * syntax error or a duplicate top-level key answers (400 `x_content_parse_exception`), unless
 * `parse` (the route's parser, the one that parses the value afterwards) fails on a field read
 * before it. A text that parses is taken by the fast path ({@link parseJsonFast}); the full
 * scan then only runs on the error path.
 */
export function readJsonBody(raw: string, contentType: string | undefined, parse: (value: unknown) => unknown): unknown {
  if (raw === '') return undefined;
  if (contentType === undefined) throw new HttpError(406, 'media_type_header_exception', 'Content-Type header is missing');
  if (!JSON_MEDIA_TYPES.has(contentType) && !JSON_MEDIA_TYPES.has((contentType.split(';')[0] ?? '').trim().toLowerCase())) {
    throw new HttpError(406, 'media_type_header_exception', `Content-Type header [${contentType}] is not supported`);
  }
  const fast = parseJsonFast(raw);
  if (fast !== NEEDS_SCAN) return fast;
  const scanned = scanJson(raw);
  const entries: TopLevelEntry[] = scanned.entries ?? [];
  const locate = fieldLocator(raw, entries);
  if (!scanned.ok) {
    // Upstream parses as it reads: a field error before the broken spot answers first.
    failOnEarlierField(raw, entries, parse, locate, scanned.pendingKey);
    throw new HttpError(400, 'x_content_parse_exception', `${locationPrefix(raw, scanned.offset)} ${scanned.message}`);
  }
  const dup = firstDuplicate(entries);
  if (dup >= 0) {
    failOnEarlierField(raw, entries.slice(0, dup), parse, locate);
    const d = entries[dup] as TopLevelEntry;
    throw new HttpError(400, 'x_content_parse_exception', `${locationPrefix(raw, d.keyEnd)} Duplicate field '${d.key}'`);
  }
  return JSON.parse(raw) as unknown;
}
