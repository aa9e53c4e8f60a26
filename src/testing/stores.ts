import type { ConnectorStore, SyncJobStore } from '../index.js';

/**
 * A {@link SyncJobStore} that forwards every call to `base` except those `overrides` replaces:
 * stubs written this way (a store that fails on `update`, one that records calls) keep compiling
 * and working when the port gains a method. Methods are forwarded with `this` bound to `base`;
 * errors and results are `base`'s (or the override's) unchanged. The optional fast path
 * `applyCommand` is not forwarded unless given in `overrides`: the wrapper's lifecycle calls all
 * go through `update` (so an overridden `update` sees every one of them).
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
    update: (id, decide) => base.update(id, decide),
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
