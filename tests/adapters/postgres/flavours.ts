import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Pool } from 'pg';
import { inject } from 'vitest';
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
  /** Server only: the pool behind `q` (for LISTEN). */
  pool?: Pool;
}

export interface Flavour {
  name: string;
  /** False when the flavour cannot run here (no DATABASE_URL). */
  enabled: boolean;
  open(options?: { poolSize?: number; migrated?: boolean }): Promise<OpenDatabase>;
}

const templates = new Map<string, Promise<Blob>>();

/**
 * A new in-memory PGlite, empty (`unmigrated`) or with every migration applied (`migrated`),
 * loaded from the dump `tests/global-setup.ts` made once for the whole run: no initdb (the 2-3 s
 * cold start) and no migration per test file. Without that setup (another vitest config) it
 * falls back to a cold `PGlite.create()` (and `migrate`). The caller closes it.
 */
export async function openPgliteTemplate(kind: 'migrated' | 'unmigrated'): Promise<PGlite> {
  const dir = inject('pgliteTemplates') as string | undefined;
  if (dir === undefined) {
    const db = await PGlite.create();
    if (kind === 'migrated') await migrate(queryableFromPglite(db));
    return db;
  }
  let dump = templates.get(kind);
  if (!dump) {
    dump = readFile(join(dir, `${kind}.tar`)).then((bytes) => new Blob([bytes]));
    templates.set(kind, dump);
  }
  return PGlite.create({ loadDataDir: await dump });
}

const reset = (q: Queryable) => () => q.exec('TRUNCATE sync_job_idempotency, sync_jobs, connectors');

export const pgliteFlavour: Flavour = {
  name: 'PGlite',
  enabled: true,
  async open(options = {}) {
    const db = await openPgliteTemplate(options.migrated === false ? 'unmigrated' : 'migrated');
    const q = queryableFromPglite(db);
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
      pool,
      reset: reset(q),
      close: async () => {
        await pool.end();
        await db.drop();
      },
    };
  },
};

export const flavours: Flavour[] = [pgliteFlavour, serverFlavour];
