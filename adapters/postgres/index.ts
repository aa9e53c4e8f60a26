import { ContainerModule } from 'inversify';
import type { Pool, PoolConfig } from 'pg';
import type { PGlite, PGliteInterface } from '@electric-sql/pglite';
import { TOKENS } from '../../src/index.js';
import type { Closeable, ConnectorLookup, ConnectorStore, SyncJobQueue, SyncJobStore } from '../../src/index.js';
import { migrate } from './migrations.js';
import { queryableFromPglite, queryableFromPglitePromise, queryableFromPool } from './queryable.js';
import type { Queryable } from './queryable.js';
import { PostgresConnectorLookup } from './connector-lookup.js';
import { PostgresConnectorStore } from './connector-store.js';
import { PostgresSyncJobStore } from './sync-job-store.js';
import type { SyncJobStoreOptions } from './sync-job-store.js';
import { ConnectorCache } from './connector-cache.js';
import { openPgliteDir } from './pglite.js';
import { importWithPglite, loadPg } from './drivers.js';
import { assertDriverInstalled } from '../../src/internal.js';
import type { PgliteDirOptions } from './pglite.js';
import { PostgresSyncJobQueue, pgliteNotifications, poolNotifications } from './queue.js';
import type { NotificationSource } from './queue.js';

export { MIGRATIONS, MIGRATION_LOCK_KEY, migrate } from './migrations.js';
export type { Migration } from './migrations.js';
export { queryableFromPglite, queryableFromPglitePromise, queryableFromPool } from './queryable.js';
export type { Queryable, QueryOptions, Row, SqlExecutor, TransactionOptions } from './queryable.js';
export { PostgresConnectorLookup } from './connector-lookup.js';
export { PostgresConnectorStore } from './connector-store.js';
export { PostgresSyncJobStore } from './sync-job-store.js';
export { MAX_SQL_MERGE_DEPTH } from './sql/plan-statement.js';
export { unstorableTextReason } from './columns/storable-text.js';
export { ConnectorCache, DEFAULT_CONNECTOR_CACHE_SIZE } from './connector-cache.js';
export type { SyncJobStoreOptions } from './sync-job-store.js';
export { translateError } from './errors.js';
export { DataDirectoryInUseError, DEFAULT_LOCK_STALE_MS, openPgliteDir } from './pglite.js';
export type { PgliteDir, PgliteDirOptions } from './pglite.js';
export { TransactionTimeoutError } from './queryable.js';
export { DEFAULT_RECHECK_MS, PostgresSyncJobQueue, pgliteNotifications, poolNotifications } from './queue.js';
export { CLAIMABLE_CHANNEL, WAITERS_TABLE } from './schema.js';
export type { NotificationSource } from './queue.js';

/**
 * Options of {@link postgresModule}, one of (each loads only its own driver, an optional peer
 * dependency: `pg` for a connection string or a pool, `@electric-sql/pglite` for PGlite; a
 * missing one is a MissingDriverError naming the package):
 * - `{ connectionString }`: the adapter opens a `pg.Pool` and closes it on `closeContainer`;
 * - `{ pool }`: the host's own `pg.Pool`, never closed by the adapter;
 * - `{ pglite }`: the host's own PGlite instance, never closed by the adapter;
 * - `{ pgliteDataDir }` (or `{}`): the adapter opens PGlite in memory (no dir) or at that
 *   directory, and closes it on `closeContainer`. A directory is locked for this process
 *   (a second open throws DataDirectoryInUseError) and durable by default (`durable`,
 *   `lockStaleMs`: see {@link PgliteDirOptions}).
 */
export type PostgresModuleOptions = (
  | { connectionString: string; poolConfig?: Omit<PoolConfig, 'connectionString'> }
  | { pool: Pool }
  | { pglite: PGliteInterface }
  | ({ pgliteDataDir?: string } & PgliteDirOptions)
) & {
  /**
   * False: the job store sends every statement unnamed (no prepared statements; on PGlite, no
   * use of its internals: the way out when a PGlite upgrade breaks `pglite-statements.ts`).
   * Default true.
   */
  preparedStatements?: boolean;
};

/** What {@link openPostgres} opened: the query interface and how to release it. */
export interface PostgresHandle {
  db: Queryable;
  /** Closes what this handle opened; a no-op for the host's own pool or PGlite. */
  close(): Promise<void>;
  /** True when `close` really closes something (the adapter owns it). */
  owned: boolean;
  /** LISTEN/NOTIFY on the same database (the worker queue's wake-ups). */
  notifications: NotificationSource;
  /** True for PGlite (no autovacuum: the worker queue vacuums itself). */
  embedded?: boolean;
}

/**
 * Default time bounds of a pool the adapter opens, in ms. With them a storage call (waiting for
 * a connection, then its statements) takes at most `connectionTimeoutMillis + query_timeout`
 * = 5 s whatever the server does (held locks, a frozen or unreachable server); a create makes at
 * most three calls in sequence, so it is answered within 15 s. Each is overridable in `poolConfig`.
 * - `statement_timeout` (server side, per statement, lock waits included): 2,500;
 * - `query_timeout` (client side, per statement; a transaction as a whole): 3,000, a backstop
 *   for a server that does not answer at all;
 * - `connectionTimeoutMillis` (waiting for a free or new connection): 2,000.
 * Each expiry is a retryable StorageUnavailableError (HTTP 503).
 */
export const DEFAULT_POOL_TIMEOUTS = {
  statement_timeout: 2_500,
  query_timeout: 3_000,
  connectionTimeoutMillis: 2_000,
} as const;

/**
 * Opens a `pg.Pool` on a connection string, with {@link DEFAULT_POOL_TIMEOUTS} (the caller owns
 * it and must `end()` it). MissingDriverError when `pg` is not installed.
 */
export function openPool(connectionString: string, config: Omit<PoolConfig, 'connectionString'> = {}, neededBy = 'openPool'): Pool {
  const pg = loadPg(neededBy);
  const pool = new pg.Pool({ ...DEFAULT_POOL_TIMEOUTS, keepAlive: true, ...config, connectionString });
  pool.on('error', (error: Error) => {
    // An idle client lost its connection. The pool discards it; the next query that needs a
    // connection fails and is translated to StorageUnavailableError. Without this listener the
    // error event would crash the process.
    void error;
  });
  return pool;
}

/**
 * Opens PGlite in memory (no `dataDir`) or at a directory (the caller owns it and must `close()`
 * it). MissingDriverError when `@electric-sql/pglite` is not installed.
 */
export async function openPglite(dataDir?: string): Promise<PGlite> {
  const { createPglite } = await importWithPglite(() => import('./pglite-open.js'), 'openPglite');
  return createPglite(dataDir);
}

function isOpt<K extends string>(o: PostgresModuleOptions, key: K): o is Extract<PostgresModuleOptions, Record<K, unknown>> {
  return key in o && (o as Record<string, unknown>)[key] !== undefined;
}

/**
 * The query interface for the options, synchronously (PGlite opens in the background and
 * queries wait for it). Used by {@link postgresModule} and by hosts that wire the stores
 * themselves.
 */
export function openPostgres(options: PostgresModuleOptions = {}): PostgresHandle {
  if (isOpt(options, 'pool')) {
    return { db: queryableFromPool(options.pool), close: async () => {}, owned: false, notifications: poolNotifications(options.pool) };
  }
  if (isOpt(options, 'pglite')) {
    return { db: queryableFromPglite(options.pglite), close: async () => {}, owned: false, notifications: pgliteNotifications(options.pglite), embedded: true };
  }
  if (isOpt(options, 'connectionString')) {
    const pool = openPool(options.connectionString, options.poolConfig, 'postgresModule({ connectionString })');
    return { db: queryableFromPool(pool), close: () => pool.end(), owned: true, notifications: poolNotifications(pool) };
  }
  const dirOptions = options as { pgliteDataDir?: string } & PgliteDirOptions;
  if (dirOptions.pgliteDataDir !== undefined) {
    const opened = openPgliteDir(dirOptions.pgliteDataDir, dirOptions, 'postgresModule({ pgliteDataDir })');
    return {
      db: queryableFromPglitePromise(opened.db),
      close: () => opened.close(),
      owned: true,
      notifications: deferredNotifications(opened.db),
      embedded: true,
    };
  }
  // PGlite in memory: checked now (one line naming the package), loaded on demand
  assertDriverInstalled('@electric-sql/pglite', 'postgresModule() (PGlite in memory)');
  const db = importWithPglite(() => import('./pglite-open.js'), 'postgresModule() (PGlite in memory)').then((m) => m.newPglite(undefined));
  db.catch(() => undefined); // awaited by every call; never an unhandled rejection
  return {
    db: queryableFromPglitePromise(db),
    close: async () => {
      const instance = await db.catch(() => undefined);
      if (instance && !instance.closed) await instance.close();
    },
    owned: true,
    notifications: deferredNotifications(db),
    embedded: true,
  };
}

/** LISTEN/NOTIFY of a PGlite instance still being loaded. */
function deferredNotifications(db: Promise<PGliteInterface>): NotificationSource {
  return {
    async listen(channel, onNotify, onLost) {
      return pgliteNotifications(await db).listen(channel, onNotify, onLost);
    },
  };
}

/** The three stores of one database, sharing one {@link ConnectorCache} (the create path's). */
export interface PostgresStores {
  connectors: PostgresConnectorStore;
  /** The create use case's ConnectorLookup: answers from the cache (one round trip per create). */
  lookup: PostgresConnectorLookup;
  jobs: PostgresSyncJobStore;
}

/** Options of {@link postgresStores}. */
export interface PostgresStoresOptions extends SyncJobStoreOptions {
  /** Most connectors the create path keeps (LRU); default {@link DEFAULT_CONNECTOR_CACHE_SIZE}. */
  connectorCacheSize?: number;
}

/** {@link PostgresStores} on `db`, sharing a new {@link ConnectorCache}. */
export function postgresStores(db: Queryable, options: PostgresStoresOptions = {}): PostgresStores {
  const cache = new ConnectorCache(options.connectorCacheSize);
  return {
    connectors: new PostgresConnectorStore(db, cache),
    lookup: new PostgresConnectorLookup(db, cache),
    jobs: new PostgresSyncJobStore(db, cache, { preparedStatements: options.preparedStatements }),
  };
}

/**
 * The PostgreSQL / PGlite storage module. Binds ConnectorStore, ConnectorLookup (the caching
 * {@link PostgresConnectorLookup}: a create is one round trip) and SyncJobStore on one database, an Initializer that runs {@link migrate}, and, only for a
 * pool or PGlite it opened itself, a Closeable.
 * A missing driver is a MissingDriverError at this call, naming the package to install.
 */
export function postgresModule(options: PostgresModuleOptions = {}): ContainerModule {
  if (isOpt(options, 'connectionString')) assertDriverInstalled('pg', 'postgresModule({ connectionString })');
  else if (!isOpt(options, 'pool') && !isOpt(options, 'pglite')) {
    const dir = (options as { pgliteDataDir?: string }).pgliteDataDir;
    assertDriverInstalled('@electric-sql/pglite', dir === undefined ? 'postgresModule() (PGlite in memory)' : 'postgresModule({ pgliteDataDir })');
  }
  return new ContainerModule(({ bind }) => {
    const handle = openPostgres(options);
    const { connectors, lookup, jobs } = postgresStores(handle.db, { preparedStatements: options.preparedStatements });
    bind<ConnectorStore>(TOKENS.ConnectorStore).toConstantValue(connectors);
    bind<ConnectorLookup>(TOKENS.ConnectorLookup).toConstantValue(lookup);
    bind<SyncJobStore>(TOKENS.SyncJobStore).toConstantValue(jobs);
    bind<() => Promise<void>>(TOKENS.Initializer).toConstantValue(async () => {
      await migrate(handle.db);
    });
    if (handle.owned) bind<Closeable>(TOKENS.Closeable).toConstantValue({ close: () => handle.close() });
    // the queue's LISTEN connection is the adapter's own: bound after the database, closed before it
    const queue = new PostgresSyncJobQueue(handle.db, handle.notifications, { vacuumEveryClaims: handle.embedded ? 200 : 0 });
    bind<SyncJobQueue>(TOKENS.SyncJobQueue).toConstantValue(queue);
    bind<Closeable>(TOKENS.Closeable).toConstantValue({ close: () => queue.close() });
  });
}
