import type { ContainerModule } from 'inversify';
import { memoryModule } from '../memory/index.js';

/** The storages `STORAGE` may name. */
export const STORAGE_KINDS = ['memory', 'pglite', 'postgres', 'elasticsearch'] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];

/**
 * The storage when `STORAGE` is unset. The intended default is `pglite`; this branch has no
 * PGlite adapter yet, so it is `memory` until the storage adapters are merged.
 */
export const DEFAULT_STORAGE: StorageKind = 'memory';

/** A setting that names a storage this build cannot provide; its message is one line. */
export class StorageNotAvailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageNotAvailableError';
  }
}

/** The environment variables the storage selection reads. */
export interface StorageEnv {
  STORAGE?: string;
  PGLITE_DIR?: string;
  DATABASE_URL?: string;
  ELASTICSEARCH_URL?: string;
}

/**
 * The storage adapter's module for the environment: `STORAGE` = memory | pglite (data in
 * `PGLITE_DIR`, default ./data) | postgres (`DATABASE_URL`) | elasticsearch (`ELASTICSEARCH_URL`).
 * Throws StorageNotAvailableError for an unknown or not-yet-built storage.
 */
export function storageModuleFromEnv(env: StorageEnv): ContainerModule {
  const storage = env.STORAGE === undefined || env.STORAGE === '' ? DEFAULT_STORAGE : env.STORAGE;
  switch (storage) {
    case 'memory':
      return memoryModule();
    case 'pglite':
    case 'postgres':
    case 'elasticsearch':
      // Wired after the storage adapters are merged:
      //   pglite:        postgresModule({ pgliteDataDir: env.PGLITE_DIR ?? './data' })
      //   postgres:      postgresModule({ connectionString: env.DATABASE_URL })  (required)
      //   elasticsearch: elasticsearchModule({ node: env.ELASTICSEARCH_URL })    (required)
      throw new StorageNotAvailableError(`STORAGE=${storage} is not available in this build`);
    default:
      throw new StorageNotAvailableError(`STORAGE=${storage} is not supported (expected one of: ${STORAGE_KINDS.join(', ')})`);
  }
}
