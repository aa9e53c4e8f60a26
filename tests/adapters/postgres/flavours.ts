import { PGlite } from '@electric-sql/pglite';
import { migrate, queryableFromPglite, queryableFromPool } from '../../../adapters/postgres/index.js';
import type { Queryable } from '../../../adapters/postgres/index.js';
import { DATABASE_URL, createThrowawayDatabase, poolOn } from './pg-helpers.js';

/** One migrated database of either flavour, for a describe block. */
export interface OpenDatabase {
  q: Queryable;
  /** Empties the three tables. */
  reset(): Promise<void>;
  close(): Promise<void>;
  /** Server only: its URL (a throwaway database). */
  url?: string;
}

export interface Flavour {
  name: string;
  /** False when the flavour cannot run here (no DATABASE_URL). */
  enabled: boolean;
  open(options?: { poolSize?: number; migrated?: boolean }): Promise<OpenDatabase>;
}

const reset = (q: Queryable) => () => q.exec('TRUNCATE sync_job_idempotency, sync_jobs, connectors');

export const pgliteFlavour: Flavour = {
  name: 'PGlite',
  enabled: true,
  async open(options = {}) {
    const db = await PGlite.create();
    const q = queryableFromPglite(db);
    if (options.migrated !== false) await migrate(q);
    return { q, reset: reset(q), close: () => db.close() };
  },
};

export const serverFlavour: Flavour = {
  name: 'PostgreSQL server',
  enabled: DATABASE_URL !== undefined,
  async open(options = {}) {
    const db = await createThrowawayDatabase(DATABASE_URL!, 'test');
    const pool = poolOn(db.url, options.poolSize ?? 20);
    const q = queryableFromPool(pool);
    if (options.migrated !== false) await migrate(q);
    return {
      q,
      url: db.url,
      reset: reset(q),
      close: async () => {
        await pool.end();
        await db.drop();
      },
    };
  },
};

export const flavours: Flavour[] = [pgliteFlavour, serverFlavour];
