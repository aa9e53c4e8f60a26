import type { ConnectorStore, SyncJobStore } from '../index.js';

/**
 * A {@link SyncJobStore} that forwards every call to `base` except those `overrides` replaces:
 * stubs written this way (a store that fails on `apply`, one that records calls) keep compiling
 * and working when the port gains a method. Errors and results are `base`'s (or the
 * override's) unchanged.
 *
 * @param base - the store that answers every method not overridden (e.g. a `MemorySyncJobStore`)
 * @param overrides - the methods to replace; each receives the same arguments as the port method
 * @returns a new object implementing SyncJobStore; `base` is not modified
 */
export function delegatingSyncJobStore(base: SyncJobStore, overrides: Partial<SyncJobStore> = {}): SyncJobStore {
  return {
    insert: (job, options) => base.insert(job, options),
    get: (id) => base.get(id),
    findIdempotencyKey: (key) => base.findIdempotencyKey(key),
    apply: (id, plan) => base.apply(id, plan),
    list: (query) => base.list(query),
    delete: (id) => base.delete(id),
    ...overrides,
  };
}

/**
 * A {@link ConnectorStore} that forwards every call to `base` except those `overrides` replaces
 * (see {@link delegatingSyncJobStore}).
 *
 * @param base - the store that answers every method not overridden (e.g. a `MemoryConnectorStore`)
 * @param overrides - the methods to replace
 * @returns a new object implementing ConnectorStore; `base` is not modified
 */
export function delegatingConnectorStore(base: ConnectorStore, overrides: Partial<ConnectorStore> = {}): ConnectorStore {
  return {
    findById: (id) => base.findById(id),
    upsert: (connector) => base.upsert(connector),
    delete: (id, options) => base.delete(id, options),
    ...overrides,
  };
}
