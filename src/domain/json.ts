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
 * Sets an own property. "__proto__" is a legal JSON key (JSON.parse makes it an own property);
 * plain assignment would call the prototype setter instead of copying it.
 */
function setOwn(out: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/**
 * A deep copy of a JSON value (`undefined` members dropped, `__proto__` kept as an own key).
 * Isolation between a store and its callers is the store's business (see ARCHITECTURE.md,
 * "Copies"); the domain copies only where a rule says so.
 */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => cloneJson(v)) as T;
  const out: JsonObject = {};
  for (const key of Object.keys(value as JsonObject)) {
    const v = (value as JsonObject)[key];
    if (v === undefined) continue;
    setOwn(out, key, cloneJson(v));
  }
  return out as T;
}

/**
 * Elasticsearch's partial-update merge (`XContentHelper.update`, what `_update` with `doc` does):
 * for each key of `changes`, two objects merge recursively; any other value replaces. Keys of
 * `base` that `changes` does not name are kept. Returns a new object; neither input is changed.
 */
export function mergeJsonObjects(base: JsonObject, changes: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(base)) setOwn(out, key, base[key] as JsonValue);
  for (const key of Object.keys(changes)) {
    const next = changes[key] as JsonValue;
    const prev = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
    setOwn(out, key, isJsonObject(prev) && isJsonObject(next) ? mergeJsonObjects(prev, next) : next);
  }
  return out;
}
