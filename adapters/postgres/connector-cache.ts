import { LRUCache } from 'lru-cache';
import type { ConnectorRecord } from '../../src/index.js';

/** Default bound of {@link ConnectorCache}: connectors kept, least recently used evicted first. */
export const DEFAULT_CONNECTOR_CACHE_SIZE = 1_000;

/** Every object {@link deepFreeze} froze: it and everything under it can never change. */
const frozenDeeply = new WeakSet<object>();

/** Deep-freezes a value this adapter decoded itself (nothing else holds it); returns it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
    frozenDeeply.add(value);
  }
  return value;
}

/**
 * True when `value` is a part of a record this cache froze (deep-frozen, nothing under it can
 * change), so equal identity means equal content. An object frozen elsewhere is not.
 */
export function isFrozenByCache(value: object): boolean {
  return frozenDeeply.has(value);
}

/**
 * The connectors of one PostgreSQL store instance, as the create path uses them (so that a
 * create is one round trip). Each record read from the database is deep-frozen and tagged with
 * the row's `version` (migration 5: a new value on every write of the row, by any writer); a
 * record is served to later creates only once an insert conditioned on that version committed
 * (so a cached record was live, syncable and current at that commit; a missing, deleted or
 * unsyncable connector is never served from here). A served record can be stale (another
 * process wrote the row since): the insert, conditioned on the version in the same statement,
 * then matches nothing and the store decides on the row as stored. Bounded: at most `max`
 * records (LRU). Writes through this process's connector store forget the id at once.
 */
export class ConnectorCache {
  private readonly served: LRUCache<string, ConnectorRecord>;
  private readonly versions = new WeakMap<ConnectorRecord, bigint>();

  constructor(max: number = DEFAULT_CONNECTOR_CACHE_SIZE) {
    this.served = new LRUCache({ max });
  }

  /** The record to build a create from without a read, if one is kept. */
  get(id: string): ConnectorRecord | undefined {
    return this.served.get(id);
  }

  /** A record just read with the row's version: frozen (jobs share its parts) and tagged. */
  track(record: ConnectorRecord, version: unknown): ConnectorRecord {
    deepFreeze(record);
    this.versions.set(record, BigInt(String(version)));
    return record;
  }

  /** The row version `record` was read at; undefined for a record this cache did not read. */
  versionOf(record: ConnectorRecord): bigint | undefined {
    return this.versions.get(record);
  }

  /** Serve `record` from now on: an insert conditioned on its version committed. A newer kept version wins. */
  keep(record: ConnectorRecord): void {
    const version = this.versions.get(record);
    if (version === undefined) return;
    const kept = this.served.peek(record.id);
    const keptVersion = kept === undefined ? undefined : this.versions.get(kept);
    if (keptVersion !== undefined && keptVersion > version) return;
    this.served.set(record.id, record);
  }

  /** Drops the id (its row was written, or found changed). */
  forget(id: string): void {
    this.served.delete(id);
  }

  /** How many records are kept (at most the bound). */
  get size(): number {
    return this.served.size;
  }
}
