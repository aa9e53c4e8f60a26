import { matchEnum } from './enums.js';
import { InvalidRequestError } from './errors.js';
import { Instant } from './instant.js';
import { isJsonObject } from './json.js';
import type { JsonObject, JsonValue } from './json.js';

/**
 * One small declarative strict-body parser, shaped after upstream's `ConstructingObjectParser`
 * (strict: unknown fields refused) followed by `ActionRequest.validate()`. Every request body
 * of the API (create, claim, error, stats) is declared with it. What it reproduces, in
 * upstream's order:
 *
 * 1. no body: `missing_body` (`request body is required`, what `RestRequest.contentParser()` says);
 * 2. not an object: `[<parser>] Expected START_OBJECT but was: <TOKEN>`;
 * 3. field by field, in body order: an unknown field `[<parser>] unknown field [x]` with Lucene's
 *    did-you-mean; a value of an unsupported JSON type `[<parser>] x doesn't support values of
 *    type: <TOKEN>`; a value its field parser rejects (a long out of range, a bad date) as
 *    `[<parser>] failed to parse field [x]` caused by the reason;
 * 4. missing required fields, all named at once: `Required [a, b]`;
 * 5. the enum conversions of the constructor lambda (`Unknown <Enum> [x].`), wrapped as
 *    `Failed to build [<parser>] after last required field arrived`, and, when every declared
 *    field was present (upstream builds inside the last field's parsing), in
 *    `[<parser>] failed to parse field [<last field>]`;
 * 6. validation: every message at once, `Validation Failed: 1: a;2: b;`.
 */

/** The token name upstream's parser reports for a JSON value. */
export function jsonTokenName(value: unknown): string {
  if (value === null) return 'VALUE_NULL';
  if (Array.isArray(value)) return 'START_ARRAY';
  switch (typeof value) {
    case 'string':
      return 'VALUE_STRING';
    case 'number':
    case 'bigint':
      return 'VALUE_NUMBER';
    case 'boolean':
      return 'VALUE_BOOLEAN';
    case 'object':
      return 'START_OBJECT';
    default:
      return 'VALUE_EMBEDDED_OBJECT';
  }
}

/** Lucene's LevenshteinDistance similarity: 1 - edits / longer length. */
function similarity(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return n === m ? 1 : 0;
  let prev = Array.from({ length: n + 1 }, (_, i) => i);
  for (let j = 1; j <= m; j++) {
    const cur = [j];
    for (let i = 1; i <= n; i++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[i] = Math.min((cur[i - 1] as number) + 1, (prev[i] as number) + 1, (prev[i - 1] as number) + cost);
    }
    prev = cur;
  }
  return 1 - (prev[n] as number) / Math.max(n, m);
}

/** Upstream's "did you mean" suffix for an unknown field (SuggestingErrorOnUnknown). */
export function suggestField(unknown: string, candidates: readonly string[]): string {
  const scored = candidates
    .map((c) => ({ c, d: similarity(unknown, c) }))
    .filter((s) => s.d > 0.5)
    .sort((x, y) => (x.d !== y.d ? y.d - x.d : x.c < y.c ? -1 : x.c > y.c ? 1 : 0));
  if (scored.length === 0) return '';
  const keys = scored.map((s) => s.c);
  return keys.length === 1 ? ` did you mean [${keys[0]}]?` : ` did you mean any of [${keys.join(', ')}]?`;
}

/**
 * The JSON types a field takes, as upstream's `declare...` calls:
 * - `string` (`declareString`): a JSON string;
 * - `long` (`declareLong`): a number or a numeric string, coerced to a whole number (fraction
 *   truncated, as Jackson does); outside Java's `long` range it fails to parse. JavaScript
 *   numbers are exact to 2^53; larger values in range are accepted, rounded to a double;
 * - `object` (`declareObject(..., p.map())`): a JSON object;
 * - `instant` (`ConnectorUtils.parseInstant`, `OBJECT_OR_STRING`): a date string in
 *   `strict_date_optional_time||epoch_millis` or a number of epoch milliseconds;
 * - `boolean` (`declareBoolean`): true or false;
 * - `array` (`declareField(..., ValueType.OBJECT_ARRAY)`): a JSON array.
 */
/** A field's JSON type; `time` is an Elasticsearch time value, a string (`30s`) or a number, kept as given. */
export type FieldType = 'string' | 'long' | 'object' | 'instant' | 'boolean' | 'array' | 'time';

/** An enum a string field converts to when the request is built (upstream's `fromString` in the constructor lambda). */
export interface EnumConversion<T extends string = string> {
  /** The accepted names, matched ignoring case as Java's `equalsIgnoreCase`. */
  values: readonly T[];
  /** Upstream's enum class name, for `Unknown <typeName> [x].`. */
  typeName: string;
}

/** One declared field. */
export interface FieldSpec {
  type: FieldType;
  /** A constructor argument without which the request cannot be built (`Required [x]`). */
  required?: boolean;
  /** For a `string` field: converted to this enum when the request is built. */
  enum?: EnumConversion;
  /** `null` is accepted and kept (upstream's `..._OR_NULL` value types). */
  nullable?: boolean;
  /** For an `object` field: its own parser; a failure is `[<parser>] failed to parse field [x]` caused by it. */
  parser?: StrictBodyParser<FieldSpecs>;
}

/** Declared fields by wire name, in declaration order. */
export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

type BaseValueOf<S extends FieldSpec> = S extends { enum: EnumConversion<infer E> }
  ? E
  : S extends { parser: StrictBodyParser<infer N> }
    ? ParsedBody<N>
    : S['type'] extends 'string'
      ? string
      : S['type'] extends 'long'
        ? number
        : S['type'] extends 'object'
          ? JsonObject
          : S['type'] extends 'boolean'
            ? boolean
            : S['type'] extends 'array'
              ? JsonValue[]
              : S['type'] extends 'time'
                ? string | number
                : Instant;

type ValueOf<S extends FieldSpec> = S extends { nullable: true } ? BaseValueOf<S> | null : BaseValueOf<S>;

/** What the parser hands the builder: each field's parsed value; optional ones may be absent. */
export type ParsedBody<S extends FieldSpecs> = {
  -readonly [K in keyof S as S[K] extends { required: true } ? K : never]: ValueOf<S[K]>;
} & {
  -readonly [K in keyof S as S[K] extends { required: true } ? never : K]?: ValueOf<S[K]>;
};

/** A declared strict-body parser. */
export interface StrictBodyParser<S extends FieldSpecs> {
  /** Upstream's parser name (`claim_connector_sync_job`, ...). */
  readonly name: string;
  readonly fields: S;
  /** Parses an untrusted body (what JSON.parse gave; `undefined` for none). Throws InvalidRequestError. */
  parse(body: unknown): ParsedBody<S>;
}

/** The message of an `ActionRequestValidationException`: `Validation Failed: 1: a;2: b;`. */
export function validationMessage(errors: readonly string[]): string {
  return `Validation Failed: ${errors.map((e, i) => `${i + 1}: ${e};`).join('')}`;
}

/**
 * Throws the `validation` InvalidRequestError naming every message, when there is any.
 * `field` is the first failing top-level field, when known.
 */
export function throwIfInvalid(errors: readonly { field?: string; message: string }[]): void {
  if (errors.length === 0) return;
  throw new InvalidRequestError('validation', validationMessage(errors.map((e) => e.message)), errors[0]?.field);
}

const LONG_MAX_PLUS_ONE = 9223372036854775808; // 2^63, exactly representable
const LONG_MIN = -9223372036854775808;
/** The largest double below 2^63. */
const LONG_MAX_DOUBLE = 9223372036854774784;

/** Java's `long` from a JSON number or numeric string, as `XContentParser.longValue(coerce=true)`. */
function toLong(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value >= LONG_MAX_PLUS_ONE || value < LONG_MIN) {
      throw new InvalidRequestError(
        'illegal_value',
        `Numeric value (${value}) out of range of long (-9223372036854775808 - 9223372036854775807)`,
      );
    }
    return Math.trunc(value) + 0;
  }
  const text = value;
  if (/^[+-]?\d+$/.test(text)) {
    const big = BigInt(text);
    if (big >= 9223372036854775808n || big < -9223372036854775808n) {
      throw new InvalidRequestError('illegal_value', `Value [${text}] is out of range for a long`);
    }
    // 2^63 - 1 and its neighbours round up to 2^63 as a double: keep the largest double below it
    return Math.min(Number(big), LONG_MAX_DOUBLE) + 0;
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const n = Number(text);
    if (!Number.isFinite(n) || n >= LONG_MAX_PLUS_ONE || n <= LONG_MIN - 1) {
      throw new InvalidRequestError('illegal_value', `Value [${text}] is out of range for a long`);
    }
    return Math.trunc(n) + 0;
  }
  throw new InvalidRequestError('illegal_value', `For input string: "${text}"`);
}

/** `strict_date_optional_time` (UTC when no zone is given), as Elasticsearch's default date format. */
const DATE_OPTIONAL_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses a date as Elasticsearch's default date format `strict_date_optional_time||epoch_millis`
 * (`DateFieldMapper.DEFAULT_DATE_TIME_FORMATTER`): an ISO date with optional time, fraction (1
 * to 9 digits, kept to the microsecond) and zone (`Z`, `±hh`, `±hhmm`, `±hh:mm`; UTC when
 * absent), or a number of epoch milliseconds. Null for anything else.
 */
export function parseDateOptionalTime(text: string): Instant | null {
  const m = DATE_OPTIONAL_TIME.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    let z = zone ?? 'Z';
    if (z !== 'Z') z = z.length === 3 ? `${z}:00` : z.length === 5 ? `${z.slice(0, 3)}:${z.slice(3)}` : z;
    const iso = `${y}-${mo}-${d}T${h ?? '00'}:${mi ?? '00'}:${s ?? '00'}${frac ? `.${frac}` : ''}${z}`;
    return Instant.parse(iso);
  }
  if (/^-?\d+(\.\d*)?$/.test(text)) {
    const ms = Number(text);
    if (!Number.isFinite(ms)) return null;
    const micros = Math.trunc(ms * 1000);
    return Number.isSafeInteger(micros) ? Instant.ofEpochMicros(micros) : null;
  }
  return null;
}

function parseInstantField(field: string, value: number | string | JsonObject): Instant {
  if (typeof value === 'number') {
    const ms = toLong(value);
    const micros = ms * 1000;
    if (!Number.isSafeInteger(micros)) {
      throw new InvalidRequestError('illegal_value', `Instant exceeds minimum or maximum instant`);
    }
    return Instant.ofEpochMicros(micros);
  }
  if (typeof value === 'string') {
    const at = parseDateOptionalTime(value);
    if (!at) {
      throw new InvalidRequestError(
        'illegal_value',
        `failed to parse date field [${value}] with format [strict_date_optional_time||epoch_millis]`,
      );
    }
    return at;
  }
  throw new InvalidRequestError('illegal_value', `unexpected token [START_OBJECT] for [${field}]`);
}

function accepts(type: FieldType, value: unknown): boolean {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'long':
      return typeof value === 'number' || typeof value === 'string';
    case 'object':
      return isJsonObject(value);
    case 'instant':
      return typeof value === 'number' || typeof value === 'string' || isJsonObject(value);
    case 'time':
      return typeof value === 'number' || typeof value === 'string';
  }
}

function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Options of a parser. */
export interface StrictBodyOptions {
  /** Skip unknown fields instead of refusing them (upstream's `ignoreUnknownFields`). */
  ignoreUnknown?: boolean;
}

/**
 * Declares a strict-body parser named `name` (upstream's parser name, which prefixes its
 * errors) over `fields` (wire names, in upstream's declaration order).
 */
export function strictBodyParser<const S extends FieldSpecs>(name: string, fields: S, options: StrictBodyOptions = {}): StrictBodyParser<S> {
  const P = `[${name}]`;
  const names = Object.keys(fields);
  const specs = new Map<string, FieldSpec>(names.map((n) => [n, fields[n] as FieldSpec]));
  const required = names.filter((n) => specs.get(n)!.required === true);
  const enums = names.filter((n) => specs.get(n)!.enum !== undefined);
  return {
    name,
    fields,
    parse(body: unknown): ParsedBody<S> {
      if (body === undefined) throw new InvalidRequestError('missing_body', 'request body is required');
      if (!isJsonObject(body)) {
        throw new InvalidRequestError('not_an_object', `${P} Expected START_OBJECT but was: ${jsonTokenName(body)}`);
      }
      const out: Record<string, unknown> = {};
      let arrived = 0;
      let requiredArrived = 0;
      let lastField: string | undefined;
      for (const key of Object.keys(body)) {
        const spec = specs.get(key);
        if (spec === undefined) {
          if (options.ignoreUnknown === true) continue;
          throw new InvalidRequestError('unknown_field', `${P} unknown field [${key}]${suggestField(key, names)}`, key);
        }
        const value = body[key];
        if (!(value === null && spec.nullable === true) && !accepts(spec.type, value)) {
          throw new InvalidRequestError('wrong_type', `${P} ${key} doesn't support values of type: ${jsonTokenName(value)}`, key);
        }
        let parsed: unknown = value;
        if (value !== null && (spec.type === 'long' || spec.type === 'instant' || spec.parser !== undefined)) {
          try {
            parsed =
              spec.parser !== undefined
                ? spec.parser.parse(value)
                : spec.type === 'long'
                  ? toLong(value as number | string)
                  : parseInstantField(key, value as number | string | JsonObject);
          } catch (e) {
            if (!(e instanceof InvalidRequestError)) throw e;
            throw new InvalidRequestError('failed_to_parse_field', `${P} failed to parse field [${key}]`, key, e);
          }
        }
        if (key === '__proto__') setOwn(out, key, parsed);
        else out[key] = parsed;
        arrived++;
        if (spec.required === true) requiredArrived++;
        lastField = key;
      }
      if (requiredArrived < required.length) {
        // some required field is absent: name every absent one (no array otherwise)
        const absent = required.filter((n) => !Object.prototype.hasOwnProperty.call(out, n));
        if (absent.length > 0) {
          throw new InvalidRequestError('missing_field', `Required [${absent.join(', ')}]`, absent[0]);
        }
      }
      // The constructor lambda: enum conversions, in declaration order.
      for (const n of enums) {
        if (!Object.prototype.hasOwnProperty.call(out, n)) continue;
        const conversion = specs.get(n)!.enum!;
        const text = out[n] as string | null;
        if (text === null) continue;
        const converted = matchEnum(conversion.values, text);
        if (converted === undefined) {
          const inner = new InvalidRequestError('illegal_value', `Unknown ${conversion.typeName} [${text}].`);
          const built = new InvalidRequestError('failed_to_build', `Failed to build ${P} after last required field arrived`, undefined, inner);
          // Upstream builds inside the last field's parsing when every declared field arrived.
          throw arrived === names.length && lastField
            ? new InvalidRequestError('failed_to_parse_field', `${P} failed to parse field [${lastField}]`, lastField, built)
            : built;
        }
        out[n] = converted;
      }
      return out as ParsedBody<S>;
    },
  };
}
