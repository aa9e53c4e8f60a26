/** A JSON value as JSON.parse produces it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** True when `value` is a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A deep copy of a JSON value. Snapshots are copied so that later changes to the
 * connector (or to a job handed back to a caller) never reach a stored job.
 */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => cloneJson(v)) as T;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const v = (value as JsonObject)[key];
    if (v === undefined) continue;
    // "__proto__" is a legal JSON key (JSON.parse makes it an own property); plain
    // assignment would call the prototype setter instead of copying it.
    if (key === '__proto__') Object.defineProperty(out, key, { value: cloneJson(v), enumerable: true, writable: true, configurable: true });
    else out[key] = cloneJson(v);
  }
  return out as T;
}
