import pg from 'pg';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { PGliteInterface, Transaction } from '@electric-sql/pglite';

/** A row as both drivers give it. */
export type Row = Record<string, unknown>;

/** The narrow query surface the stores use: parameterised SQL, rows back. */
export interface SqlExecutor {
  /** One parameterised statement. */
  query<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<{ rows: R[] }>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** What both a `pg.Pool` and a `PGlite` instance become: an executor plus transactions. */
export interface Queryable extends SqlExecutor {
  /** Runs `fn` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
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
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
} as pg.CustomTypesConfig;

function pgExecutor(client: Pool | PoolClient): SqlExecutor {
  return {
    async query<R extends Row = Row>(text: string, params: readonly unknown[] = []) {
      const result = await client.query<R & QueryResultRow>({ text, values: [...params], types: pgTypes });
      return { rows: result.rows };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

/** A `pg.Pool` (the host's or the adapter's own) as a {@link Queryable}. */
export function queryableFromPool(pool: Pool): Queryable {
  const base = pgExecutor(pool);
  return {
    ...base,
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A checked-out client emits 'error' when its connection dies (server shutdown,
      // pg_terminate_backend); without a listener that would crash the process. The failing
      // query rejects as well, so remembering the error (to destroy the client) is enough.
      const onError = (error: Error): void => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(pgExecutor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is unusable: destroy it instead of returning it to the pool.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
  };
}

/** PGlite's per-query parsers: int8 as a number, timestamptz as text (see {@link TIMESTAMPTZ_OID}). */
const pgliteParsers = {
  [INT8_OID]: (value: string) => Number(value),
  [TIMESTAMPTZ_OID]: (value: string) => value,
};

function pgliteExecutor(db: PGliteInterface | Transaction): SqlExecutor {
  return {
    async query<R extends Row = Row>(text: string, params: readonly unknown[] = []) {
      const result = await db.query<R>(text, [...params], { parsers: pgliteParsers });
      return { rows: result.rows };
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
  };
}

/** A PGlite instance as a {@link Queryable}. PGlite runs one transaction at a time. */
export function queryableFromPglite(db: PGliteInterface): Queryable {
  const base = pgliteExecutor(db);
  return {
    ...base,
    transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      return db.transaction((tx) => fn(pgliteExecutor(tx)));
    },
  };
}
