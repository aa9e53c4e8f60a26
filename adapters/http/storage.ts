import type { ContainerModule } from 'inversify';

/** The storages `STORAGE` may name. */
export const STORAGE_KINDS = ['memory', 'pglite', 'postgres', 'elasticsearch'] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];

/** The storage when `STORAGE` is unset: embedded PGlite in `PGLITE_DIR` (default ./data). */
export const DEFAULT_STORAGE: StorageKind = 'pglite';

/** Where PGlite keeps its data when `PGLITE_DIR` is unset. */
export const DEFAULT_PGLITE_DIR = './data';

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
 * Only the named adapter is loaded (a dynamic import), so `STORAGE=memory` never loads PGlite,
 * `pg` or the Elasticsearch client: start-up pays only for the storage it uses.
 * Rejects with StorageNotAvailableError for an unknown storage or a missing setting (checked
 * before anything is loaded).
 */
export async function storageModuleFromEnv(env: StorageEnv): Promise<ContainerModule> {
  const storage = env.STORAGE === undefined || env.STORAGE === '' ? DEFAULT_STORAGE : env.STORAGE;
  switch (storage) {
    case 'memory': {
      const { memoryModule } = await import('../memory/index.js');
      return memoryModule();
    }
    case 'pglite': {
      const { postgresModule } = await import('../postgres/index.js');
      return postgresModule({ pgliteDataDir: env.PGLITE_DIR || DEFAULT_PGLITE_DIR });
    }
    case 'postgres': {
      if (!env.DATABASE_URL) throw new StorageNotAvailableError('STORAGE=postgres needs DATABASE_URL');
      const { postgresModule } = await import('../postgres/index.js');
      return postgresModule({ connectionString: env.DATABASE_URL });
    }
    case 'elasticsearch': {
      if (!env.ELASTICSEARCH_URL) throw new StorageNotAvailableError('STORAGE=elasticsearch needs ELASTICSEARCH_URL');
      const { elasticsearchModule } = await import('../elasticsearch/index.js');
      return elasticsearchModule({ node: env.ELASTICSEARCH_URL });
    }
    default:
      throw new StorageNotAvailableError(`STORAGE=${storage} is not supported (expected one of: ${STORAGE_KINDS.join(', ')})`);
  }
}
