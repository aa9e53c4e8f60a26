import type {
  FilteringConfig,
  FilteringRule,
  FilteringRules,
  FilteringValidation,
  FilteringValidationError,
  JsonObject,
  JsonValue,
} from '../domain/index.js';
import { InvalidRequestError, cloneJson, isJsonObject, jsonTokenName } from '../domain/index.js';

/**
 * Connector `filtering` read as upstream's filtering parsers read it (`ConnectorFiltering`,
 * `FilteringRules`, `FilteringRule`, `FilteringAdvancedSnippet`, `FilteringValidationInfo`,
 * `FilteringValidation` in x-pack/plugin/ent-search .../connector/filtering): every block and
 * field they declare as a constructor argument is required with its JSON type, unknown keys are
 * ignored (their parsers are lenient), `policy` and validation `state` are case-folded, `rule`
 * must be one of upstream's condition values, and dates are parsed as ISO-8601 instants and
 * written back in UTC with at least millis (`2024-01-02T03:04:05+02:00` ->
 * `2024-01-02T01:04:05.000Z`). A rule without `created_at`/`updated_at` gets `now`, as
 * upstream's FilteringRule.Builder does. Failures are InvalidRequestError chains naming the
 * parser and field, as upstream's XContentParseException chain does.
 */

/** Upstream's FilteringPolicy values. */
export const FILTERING_POLICIES = ['exclude', 'include'] as const;
/** Upstream's FilteringRuleCondition values (matched exactly, as upstream's `filteringRuleCondition`). */
export const FILTERING_RULE_CONDITIONS = ['contains', 'ends_with', 'equals', '>', '<', 'regex', 'starts_with'] as const;
/** Upstream's FilteringValidationState values. */
export const FILTERING_VALIDATION_STATES = ['edited', 'invalid', 'valid'] as const;

type Fields = Record<string, JsonValue | undefined>;

class ObjectReader {
  constructor(
    readonly parser: string,
    readonly obj: Fields,
  ) {}

  /** Wraps a failure of one field as upstream's "[parser] failed to parse field [x]". */
  field<T>(name: string, read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
      throw new InvalidRequestError('failed_to_parse_field', `[${this.parser}] failed to parse field [${name}]`, name, error);
    }
  }

  wrongType(name: string, v: unknown): InvalidRequestError {
    return new InvalidRequestError('wrong_type', `[${this.parser}] ${name} doesn't support values of type: ${jsonTokenName(v)}`, name);
  }

  /** Throws upstream's `Required [a, b]` for the required fields that are absent. */
  required(names: readonly string[]): void {
    const missing = names.filter((n) => this.obj[n] === undefined);
    if (missing.length > 0) throw new InvalidRequestError('missing_field', `Required [${missing.join(', ')}]`);
  }

  string(name: string): string | undefined {
    const v = this.obj[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw this.wrongType(name, v);
    return v;
  }

  object(name: string): JsonObject | undefined {
    const v = this.obj[name];
    if (v === undefined) return undefined;
    if (!isJsonObject(v)) throw this.wrongType(name, v);
    return v;
  }

  array(name: string): JsonValue[] | undefined {
    const v = this.obj[name];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw this.wrongType(name, v);
    return v;
  }

  /** An int as upstream's declareInt reads it: a number (truncated) or a numeric string. */
  int(name: string): number | undefined {
    const v = this.obj[name];
    if (v === undefined) return undefined;
    let n: number;
    if (typeof v === 'number') n = Math.trunc(v);
    else if (typeof v === 'string' && /^\s*[-+]?\d+(\.\d*)?\s*$/.test(v)) n = Math.trunc(Number(v));
    else if (typeof v === 'string') {
      return this.field(name, () => {
        throw new InvalidRequestError('illegal_value', `For input string: "${v}"`);
      });
    } else throw this.wrongType(name, v);
    if (!Number.isSafeInteger(n) || n > 2147483647 || n < -2147483648) {
      return this.field(name, () => {
        throw new InvalidRequestError('illegal_value', `Numeric value (${String(v)}) out of range of int`);
      });
    }
    return n;
  }

  /** An enum read from a string: `pick` gives the stored value or undefined when unknown. */
  enumValue(name: string, enumName: string, pick: (s: string) => string | undefined): string | undefined {
    const s = this.string(name);
    if (s === undefined) return undefined;
    return this.field(name, () => {
      const v = pick(s);
      if (v === undefined) throw new InvalidRequestError('illegal_value', `Unknown ${enumName} [${s}].`);
      return v;
    });
  }

  date(name: string): string | undefined {
    const s = this.string(name);
    if (s === undefined) return undefined;
    return this.field(name, () => normalizeInstant(s));
  }

  /** A nested object read by `read`, failures wrapped with this field. */
  nested<T>(name: string, read: (o: JsonObject) => T): T | undefined {
    const o = this.object(name);
    if (o === undefined) return undefined;
    return this.field(name, () => read(o));
  }

  /** An array of objects, each read by `read`, failures wrapped with this field. */
  objectArray<T>(name: string, read: (o: JsonObject) => T): T[] | undefined {
    const a = this.array(name);
    if (a === undefined) return undefined;
    return this.field(name, () =>
      a.map((item) => {
        if (!isJsonObject(item)) {
          throw new InvalidRequestError('wrong_type', `[${this.parser}] ${name} doesn't support values of type: ${jsonTokenName(item)}`, name);
        }
        return read(item);
      }),
    );
  }

  stringArray(name: string): string[] | undefined {
    const a = this.array(name);
    if (a === undefined) return undefined;
    for (const x of a) if (typeof x !== 'string') throw this.wrongType(name, x);
    return a as string[];
  }
}

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2}(?::?\d{2})?)$/;

/**
 * An ISO-8601 instant (`Instant.parse`: date, time, optional fraction, `Z` or an offset) in UTC,
 * written as upstream's `strict_date_optional_time` printer writes it: millis always, up to
 * nanos when given (`2024-01-02T03:04:05+02:00` -> `2024-01-02T01:04:05.000Z`). Throws
 * InvalidRequestError (`illegal_value`) for anything else.
 */
export function normalizeInstant(text: string): string {
  const m = INSTANT.exec(text);
  const bad = (): InvalidRequestError => new InvalidRequestError('illegal_value', `Text '${text}' could not be parsed`);
  if (!m) throw bad();
  const [, y, mo, d, h, mi, s = '00', frac = '', zone = 'Z'] = m as unknown as string[];
  const base = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${zone.toUpperCase() === 'Z' ? 'Z' : normalizeOffset(zone)}`);
  if (Number.isNaN(base) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw bad();
  // the calendar date must exist (Date.parse rolls 02-31 over)
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) throw bad();
  const iso = new Date(base).toISOString(); // ....ss.000Z
  let fraction = frac.padEnd(3, '0');
  while (fraction.length > 3 && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${iso.slice(0, 19)}.${fraction}Z`;
}

function normalizeOffset(zone: string): string {
  const digits = zone.slice(1).replace(/:/g, '');
  if (digits.length === 6 && digits.slice(4) !== '00') return 'INVALID'; // seconds in an offset: not representable here
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4)}`;
}

function readRule(o: JsonObject, now: string): FilteringRule {
  const r = new ObjectReader('connector_filtering_rule', o);
  const createdAt = r.date('created_at');
  const field = r.string('field');
  const id = r.string('id');
  const order = r.int('order');
  const policy = r.enumValue('policy', 'FilteringPolicy', (s) => {
    const v = s.toLowerCase();
    return (FILTERING_POLICIES as readonly string[]).includes(v) ? v : undefined;
  });
  const rule = r.enumValue('rule', 'FilteringRuleCondition', (s) =>
    (FILTERING_RULE_CONDITIONS as readonly string[]).includes(s) ? s : undefined,
  );
  const updatedAt = r.date('updated_at');
  const value = r.string('value');
  r.required(['field', 'id', 'order', 'policy', 'rule', 'value']);
  return {
    createdAt: createdAt ?? now,
    field: field as string,
    id: id as string,
    order: order as number,
    policy: policy as string,
    rule: rule as string,
    updatedAt: updatedAt ?? now,
    value: value as string,
  };
}

function readValidationError(o: JsonObject): FilteringValidationError {
  const r = new ObjectReader('connector_filtering_validation', o);
  const ids = r.stringArray('ids');
  const messages = r.stringArray('messages');
  r.required(['ids', 'messages']);
  return { ids: [...(ids as string[])], messages: [...(messages as string[])] };
}

function readValidation(o: JsonObject): FilteringValidation {
  const r = new ObjectReader('filtering_validation_info', o);
  const errors = r.objectArray('errors', readValidationError);
  const state = r.enumValue('state', 'FilteringValidationState', (s) => {
    const v = s.toLowerCase();
    return (FILTERING_VALIDATION_STATES as readonly string[]).includes(v) ? v : undefined;
  });
  r.required(['errors', 'state']);
  return { errors: errors as FilteringValidationError[], state: state as string };
}

function readRules(o: JsonObject, now: string): FilteringRules {
  const r = new ObjectReader('connector_filtering_rules', o);
  const snippet = r.nested('advanced_snippet', (s) => {
    const a = new ObjectReader('connector_filtering_advanced_snippet', s);
    const createdAt = a.date('created_at');
    const updatedAt = a.date('updated_at');
    const value = a.object('value');
    a.required(['created_at', 'updated_at', 'value']);
    return { createdAt: createdAt as string, updatedAt: updatedAt as string, value: cloneJson(value as JsonObject) };
  });
  const rules = r.objectArray('rules', (x) => readRule(x, now));
  const validation = r.nested('validation', readValidation);
  r.required(['advanced_snippet', 'rules', 'validation']);
  return { advancedSnippet: snippet ?? null, rules: rules as FilteringRule[], validation: validation ?? null };
}

function readEntry(o: JsonObject, now: string): FilteringConfig {
  const r = new ObjectReader('connector_filtering', o);
  const active = r.nested('active', (x) => readRules(x, now));
  const draft = r.nested('draft', (x) => readRules(x, now));
  r.required(['active', 'draft']);
  // upstream: "Connectors always use DEFAULT domain"
  return { domain: 'DEFAULT', active: active as FilteringRules, draft: draft as FilteringRules };
}

/**
 * A connector's `filtering` array read strictly (see the module comment). `parser` names the
 * enclosing request parser in the error (`connector_put_request`). `now` is the instant a rule
 * without timestamps gets.
 */
export function parseConnectorFiltering(value: JsonValue, parser: string, now: Date): FilteringConfig[] {
  const outer = new ObjectReader(parser, { filtering: value });
  const entries = outer.objectArray('filtering', (o) => readEntry(o, now.toISOString()));
  return entries ?? [];
}
