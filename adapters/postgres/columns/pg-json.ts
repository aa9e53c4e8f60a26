import type { JsonValue } from '../../../src/index.js';
import { translateError } from '../errors.js';

/** JSON text for a `json` column. JSON.stringify escapes NUL and lone surrogates, which `json` keeps as written. */
export function jsonText(value: JsonValue | undefined, field: string): string | null {
  if (value === undefined) return null;
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw translateError(error, `encoding [${field}]`);
  }
}

/**
 * A `json` column as a value: pg and PGlite parse `json` already, so a string here is a JSON
 * string value, never text to parse again (see docs/decisions/0003-postgres-values-as-the-driver-gives-them.md).
 */
export function fromJson(value: unknown): JsonValue | undefined {
  if (value === null || value === undefined) return undefined;
  return value as JsonValue;
}
