import type { ContainerModule } from 'inversify';
import { assertDriverInstalled } from '../../src/internal.js';

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
  /** `true` (default): an acknowledged write is fsync'ed; `false`: PGlite's own fsync-off mode. */
  PGLITE_FSYNC?: string;
  /** ms after which a dead process's data-directory lock is taken over (default 10,000, at least 2,000). */
  PGLITE_LOCK_STALE_MS?: string;
  /** Server-side `statement_timeout`, ms (default 2,500); the client-side backstop is 500 ms more. */
  PG_STATEMENT_TIMEOUT_MS?: string;
  /** Longest wait for a pool connection, ms (default 2,000). */
  PG_CONNECT_TIMEOUT_MS?: string;
  /** Timeout of each Elasticsearch request, ms (default 3,000 for `npm start`). */
  ELASTICSEARCH_REQUEST_TIMEOUT_MS?: string;
}

function positiveMs(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined || value === '') return fallback;
  if (!/^[0-9]+$/.test(value.trim()) || Number(value) < min || Number(value) > 2 ** 31 - 1) {
    throw new StorageNotAvailableError(`${name} must be an integer from ${min} to ${2 ** 31 - 1} (got [${value}])`);
  }
  return Number(value);
}

/**
 * The storage adapter's module for the environment: `STORAGE` = memory | pglite (data in
 * `PGLITE_DIR`, default ./data) | postgres (`DATABASE_URL`) | elasticsearch (`ELASTICSEARCH_URL`).
 * Only the named adapter is loaded (a dynamic import), so `STORAGE=memory` never loads PGlite,
 * `pg` or the Elasticsearch client: start-up pays only for the storage it uses.
 * Rejects with StorageNotAvailableError for an unknown storage or a missing setting, and with
 * MissingDriverError (`connector-sync-jobs: STORAGE=postgres needs the package "pg": npm install
 * pg`) when the storage's driver is not installed, both checked before anything is loaded.
 */
export async function storageModuleFromEnv(env: StorageEnv): Promise<ContainerModule> {
  const storage = env.STORAGE === undefined || env.STORAGE === '' ? DEFAULT_STORAGE : env.STORAGE;
  switch (storage) {
    case 'memory': {
      const { memoryModule } = await import('../memory/index.js');
      return memoryModule();
    }
    case 'pglite': {
      const fsync = env.PGLITE_FSYNC;
      if (fsync !== undefined && fsync !== '' && fsync !== 'true' && fsync !== 'false') {
        throw new StorageNotAvailableError(`PGLITE_FSYNC must be true or false (got [${fsync}])`);
      }
      const lockStale = env.PGLITE_LOCK_STALE_MS;
      assertDriverInstalled('@electric-sql/pglite', env.STORAGE ? 'STORAGE=pglite' : 'STORAGE=pglite (the default)');
      const { DEFAULT_LOCK_STALE_MS, postgresModule } = await import('../postgres/index.js');
      return postgresModule({
        pgliteDataDir: env.PGLITE_DIR || DEFAULT_PGLITE_DIR,
        durable: fsync !== 'false',
        lockStaleMs: positiveMs('PGLITE_LOCK_STALE_MS', lockStale, DEFAULT_LOCK_STALE_MS, 2_000),
      });
    }
    case 'postgres': {
      if (!env.DATABASE_URL) throw new StorageNotAvailableError('STORAGE=postgres needs DATABASE_URL');
      assertDriverInstalled('pg', 'STORAGE=postgres');
      const { DEFAULT_POOL_TIMEOUTS, postgresModule } = await import('../postgres/index.js');
      const statement = positiveMs('PG_STATEMENT_TIMEOUT_MS', env.PG_STATEMENT_TIMEOUT_MS, DEFAULT_POOL_TIMEOUTS.statement_timeout);
      return postgresModule({
        connectionString: env.DATABASE_URL,
        poolConfig: {
          statement_timeout: statement,
          query_timeout: statement + 500,
          connectionTimeoutMillis: positiveMs('PG_CONNECT_TIMEOUT_MS', env.PG_CONNECT_TIMEOUT_MS, DEFAULT_POOL_TIMEOUTS.connectionTimeoutMillis),
        },
      });
    }
    case 'elasticsearch': {
      if (!env.ELASTICSEARCH_URL) throw new StorageNotAvailableError('STORAGE=elasticsearch needs ELASTICSEARCH_URL');
      const requestTimeout = positiveMs('ELASTICSEARCH_REQUEST_TIMEOUT_MS', env.ELASTICSEARCH_REQUEST_TIMEOUT_MS, 3_000);
      assertDriverInstalled('@elastic/elasticsearch', 'STORAGE=elasticsearch');
      const { elasticsearchModule } = await import('../elasticsearch/index.js');
      return elasticsearchModule({ node: env.ELASTICSEARCH_URL, requestTimeout });
    }
    default:
      throw new StorageNotAvailableError(`STORAGE=${storage} is not supported (expected one of: ${STORAGE_KINDS.join(', ')})`);
  }
}
