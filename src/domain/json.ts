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

/** Deep-frozen values made by {@link freezeJson}: immutable, so safe to share instead of copying. */
const FROZEN = new WeakSet<object>();

/** The one frozen empty object (every new job's metadata). */
const EMPTY: JsonObject = Object.freeze({});
FROZEN.add(EMPTY);

/** True when `value` was deep-frozen by {@link freezeJson} (or is a primitive). */
export function isFrozenJson(value: unknown): boolean {
  return value === null || typeof value !== 'object' || FROZEN.has(value);
}

/** Marks an object built of frozen parts as frozen and shareable; returns it. */
export function markFrozen<T extends object>(value: T): T {
  Object.freeze(value);
  FROZEN.add(value);
  return value;
}

/**
 * A deep-frozen copy of a JSON value (the value itself when it is frozen already). Stores keep
 * such values, so reads and snapshots can share them instead of copying them again.
 */
export function freezeJson<T extends JsonValue>(value: T): T {
  if (isFrozenJson(value)) return value;
  if (!Array.isArray(value) && Object.keys(value as JsonObject).length === 0) return EMPTY as T;
  if (Array.isArray(value)) return markFrozen(value.map((v) => freezeJson(v))) as T;
  const out: JsonObject = {};
  for (const key of Object.keys(value as JsonObject)) {
    const v = (value as JsonObject)[key];
    if (v === undefined) continue;
    setOwn(out, key, freezeJson(v));
  }
  return markFrozen(out) as T;
}

/**
 * A deep copy of a JSON value; a deep-frozen value (see {@link freezeJson}) is returned as it is,
 * since nobody can change it. Snapshots are copied so that later changes to the
 * connector (or to a job handed back to a caller) never reach a stored job.
 */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (isFrozenJson(value)) return value;
  if (Array.isArray(value)) return value.map((v) => cloneJson(v)) as T;
  const out: JsonObject = {};
  for (const key of Object.keys(value as JsonObject)) {
    const v = (value as JsonObject)[key];
    if (v === undefined) continue;
    setOwn(out, key, cloneJson(v));
  }
  return out as T;
}
