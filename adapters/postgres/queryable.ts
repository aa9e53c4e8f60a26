import type pg from 'pg';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { PGliteInterface, Transaction } from '@electric-sql/pglite';
import type { PgliteStatements } from './pglite-statements.js';
import { loadPg } from './drivers.js';

/** A row as both drivers give it. */
export type Row = Record<string, unknown>;

/** Options of one {@link SqlExecutor.query}. */
export interface QueryOptions {
  /**
   * Every result column is text, boolean, int4 or json (int8 and timestamptz cast to text in
   * the SQL, or absent), so the executor passes no per-query type parsers: PGlite copies its
   * whole parser table (about 300 entries) for every query given parsers
   * (docs/decisions/0003-postgres-values-as-the-driver-gives-them.md).
   */
  plainTypes?: boolean;
  /**
   * A name for this exact statement text: `pg` prepares it once per connection, PGlite once per
   * instance (see `pglite-statements.ts`), and then only bind and execute it (no parse and plan
   * per call). The same name must always carry the same text.
   */
  prepare?: string;
}

/** The narrow query surface the stores use: parameterised SQL, rows back. */
export interface SqlExecutor {
  /** One parameterised statement. */
  query<R extends Row = Row>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<{ rows: R[] }>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** Options of one {@link Queryable.transaction}. */
export interface TransactionOptions {
  /** Time budget of this transaction in ms, instead of the pool's (pg pools only). */
  timeoutMs?: number;
}

/** What both a `pg.Pool` and a `PGlite` instance become: an executor plus transactions. */
export interface Queryable extends SqlExecutor {
  /**
   * Runs `fn` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it
   * throws. `options.timeoutMs` replaces the pool's transaction budget (migrations).
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * True when nothing ever interleaves with a statement or a transaction (PGlite: one session,
   * every query and transaction runs alone, in turn): a statement then needs no row lock to
   * keep what it read unchanged until its commit.
   */
  readonly serialized?: boolean;
}

const INT8_OID = 20;
/** `timestamptz`: kept as the server's text so microseconds survive (a Date keeps milliseconds). */
const TIMESTAMPTZ_OID = 1184;

/**
 * Per-query type parsers for `pg`: int8 (bigint) as a JS number, everything else as pg's
 * defaults. Passed with each query, so the process-wide `pg.types` stay untouched.
 */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    if (oid === TIMESTAMPTZ_OID && format !== 'binary') return (value: string) => value;
    const types = loadPg('queryableFromPool').types; // loaded: the host handed over a pg.Pool
    return format === 'binary' ? types.getTypeParser(oid, 'binary') : types.getTypeParser(oid, 'text');
  },
} as pg.CustomTypesConfig;

function pgExecutor(client: Pool | PoolClient): SqlExecutor {
  return {
    async query<R extends Row = Row>(text: string, params: readonly unknown[] = [], options?: QueryOptions) {
      const values = [...params];
      const result = await client.query<R & QueryResultRow>(
        options?.plainTypes ? { name: options.prepare, text, values } : { name: options?.prepare, text, values, types: pgTypes },
      );
      return { rows: result.rows };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

/** Options of {@link queryableFromPool}. */
export interface PoolQueryableOptions {
  /**
   * Longest time, in ms, a whole transaction may take from BEGIN to COMMIT (default: the pool's
   * `query_timeout`, else unbounded). Each statement gets what is left as its client-side
   * `query_timeout`; when it runs out the connection is destroyed, so the server rolls the
   * transaction back, and the call rejects with a timeout error (translated to a retryable
   * StorageUnavailableError by the stores).
   */
  transactionTimeoutMs?: number;
}

/** Thrown by a pool transaction that ran out of its time budget. */
export class TransactionTimeoutError extends Error {
  readonly code = 'TRANSACTION_TIMEOUT';
  constructor(ms: number) {
    super(`Transaction timed out after ${ms} ms`);
    this.name = 'TransactionTimeoutError';
  }
}

/** Client-side timeouts from pg (`query_timeout`) and this module: the connection is no longer usable. */
const isClientTimeout = (error: unknown): boolean =>
  error instanceof TransactionTimeoutError || (error instanceof Error && error.message === 'Query read timeout');

/**
 * Checks a client out of the pool with pg-pool's callback form, which hands the client over
 * synchronously: the `error` listener is attached before any I/O can run, so a FATAL (57P01,
 * server restart) arriving right after the hand-over is never an unhandled 'error' event.
 * (With `await pool.connect()` the listener would arrive a microtask after pg-pool removed its own.)
 */
function checkout(pool: Pool, onError: (error: Error) => void): Promise<PoolClient> {
  return new Promise((resolve, reject) => {
    pool.connect((error, client) => {
      if (error || !client) return reject(error ?? new Error('pg-pool gave no client'));
      client.on('error', onError);
      resolve(client);
    });
  });
}

/** A `pg.Pool` (the host's or the adapter's own) as a {@link Queryable}. */
export function queryableFromPool(pool: Pool, options: PoolQueryableOptions = {}): Queryable {
  const base = pgExecutor(pool);
  const poolTimeout = (pool as unknown as { options?: { query_timeout?: unknown } }).options?.query_timeout;
  const budget = options.transactionTimeoutMs ?? (typeof poolTimeout === 'number' && poolTimeout > 0 ? poolTimeout : undefined);
  return {
    ...base,
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, txOptions: TransactionOptions = {}): Promise<T> {
      const limit = txOptions.timeoutMs ?? budget;
      let broken: Error | undefined;
      // A checked-out client emits 'error' when its connection dies (server shutdown,
      // pg_terminate_backend); without a listener that would crash the process. The failing
      // query rejects as well, so remembering the error (to destroy the client) is enough.
      const onError = (error: Error): void => {
        broken = error;
      };
      const client = await checkout(pool, onError);
      const deadline = limit === undefined ? undefined : Date.now() + limit;
      const run = async (text: string, values?: unknown[], types?: pg.CustomTypesConfig, name?: string): Promise<pg.QueryResult> => {
        if (deadline === undefined) return client.query({ name, text, values, types });
        const left = deadline - Date.now();
        if (left <= 0) throw new TransactionTimeoutError(limit as number);
        // pg's QueryConfig type lacks query_timeout; the client honours it per query.
        return client.query({ name, text, values, types, query_timeout: left } as pg.QueryConfig);
      };
      const tx: SqlExecutor = {
        async query<R extends Row = Row>(text: string, params: readonly unknown[] = [], options?: QueryOptions) {
          // a named statement is prepared once per connection, inside a transaction as outside
          const result = await run(text, [...params], options?.plainTypes ? undefined : pgTypes, options?.prepare);
          return { rows: result.rows as R[] };
        },
        async exec(sql: string) {
          await run(sql);
        },
      };
      try {
        await run('BEGIN');
        const result = await fn(tx);
        await run('COMMIT');
        return result;
      } catch (error) {
        if (broken === undefined && isClientTimeout(error)) {
          // A statement is still running on the server (or the server is frozen): close the
          // socket, so the server rolls the transaction back as soon as it reads again.
          broken = error as Error;
        }
        if (broken === undefined) {
          try {
            await run('ROLLBACK');
          } catch (rollbackError) {
            // The connection is unusable: destroy it instead of returning it to the pool.
            broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
          }
        }
        throw error;
      } finally {
        if (broken !== undefined) {
          (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
        }
        client.release(broken ?? undefined);
        // pg-pool re-attached its own listener in release(); ours can go.
        client.off('error', onError);
      }
    },
  };
}

/** PGlite's per-query parsers: int8 as a number, timestamptz as text (see {@link TIMESTAMPTZ_OID}). */
const pgliteParsers = {
  [INT8_OID]: (value: string) => Number(value),
  [TIMESTAMPTZ_OID]: (value: string) => value,
};

/**
 * The executor of a PGlite instance, or (with `tx`) of one of its transactions. A statement with
 * `options.prepare` runs as a named statement of the instance's session when PGlite's class
 * allows it ({@link pgliteStatements}), else through `query()`.
 */
function pgliteExecutor(db: PGliteInterface, named: NamedStatements, tx?: Transaction): SqlExecutor {
  const on = tx ?? db;
  return {
    async query<R extends Row = Row>(text: string, params: readonly unknown[] = [], options?: QueryOptions) {
      const parsers = options?.plainTypes ? undefined : pgliteParsers;
      const statements = options?.prepare === undefined ? undefined : (named.statements === null ? await named.loading : named.statements);
      if (options?.prepare !== undefined && statements !== undefined) {
        // as tx.query(): a closed transaction refuses
        if (tx?.closed) throw new Error('Transaction is closed');
        return { rows: (await statements.query(options.prepare, text, params, tx !== undefined, parsers)) as R[] };
      }
      const result = await on.query<R>(text, params as unknown[], parsers === undefined ? undefined : { parsers });
      return { rows: result.rows };
    },
    async exec(sql: string) {
      await on.exec(sql);
    },
  };
}

/**
 * The named statements of a PGlite instance: `pglite-statements.ts` (PGlite's protocol classes)
 * is imported on the first named statement, so loading this module never loads PGlite.
 * `statements` is null until then, undefined when the instance cannot have them.
 */
interface NamedStatements {
  statements: PgliteStatements | undefined | null;
  loading: Promise<PgliteStatements | undefined>;
}

function namedStatements(db: PGliteInterface): NamedStatements {
  let loading: Promise<PgliteStatements | undefined> | undefined;
  return {
    statements: null,
    // imported on the first named statement (never with `preparedStatements: false`)
    get loading() {
      loading ??= import('./pglite-statements.js').then(
        (m) => (this.statements = m.pgliteStatements(db)),
        () => (this.statements = undefined), // PGlite's protocol module did not load: every statement through query()
      );
      return loading;
    },
  };
}

/** A PGlite instance as a {@link Queryable}. PGlite runs one transaction at a time. */
export function queryableFromPglite(db: PGliteInterface): Queryable {
  const named = namedStatements(db);
  const base = pgliteExecutor(db, named);
  return {
    ...base,
    serialized: true,
    transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      return db.transaction((tx) => fn(pgliteExecutor(db, named, tx)));
    },
  };
}

/**
 * A {@link Queryable} over a PGlite instance still being loaded (the adapter's own: PGlite is
 * imported on demand); every call waits for it, and fails as it failed.
 */
export function queryableFromPglitePromise(db: Promise<PGliteInterface>): Queryable {
  let ready: Queryable | undefined;
  const queryable = db.then((instance) => (ready = queryableFromPglite(instance)));
  queryable.catch(() => undefined); // awaited by every call; never an unhandled rejection
  const get = async (): Promise<Queryable> => ready ?? queryable;
  return {
    serialized: true,
    async query<R extends Row = Row>(text: string, params?: readonly unknown[], options?: QueryOptions) {
      return (ready ?? (await get())).query<R>(text, params, options);
    },
    async exec(sql: string) {
      return (ready ?? (await get())).exec(sql);
    },
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T> {
      return (ready ?? (await get())).transaction(fn, options);
    },
  };
}
