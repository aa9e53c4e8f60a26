import pg from 'pg';
import type { Pool } from 'pg';
import { PostgresSyncJobQueue, postgresStores } from '../../../adapters/postgres/index.js';
import type { Queryable } from '../../../adapters/postgres/index.js';
import type { StoreHarness } from 'connector-sync-jobs/testing';

/** The server under test, or undefined (server tests are skipped). */
export const DATABASE_URL = process.env.DATABASE_URL;

/** The URL with another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A throwaway database on the DATABASE_URL server: created now, dropped by `drop()`.
 * Tests never write to the database named in DATABASE_URL itself.
 */
export async function createThrowawayDatabase(url: string, tag: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `csj_${tag}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(url, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A pool on a URL, sized for concurrency tests. */
export function poolOn(url: string, max = 20, config: pg.PoolConfig = {}): Pool {
  const pool = new pg.Pool({ connectionString: url, max, ...config });
  // DROP DATABASE ... WITH (FORCE) terminates idle connections of pools still ending; the pool
  // re-emits that on 'error', which would otherwise be an uncaught exception.
  pool.on('error', (error: Error) => {
    if ((error as { code?: string }).code !== '57P01') throw error;
  });
  return pool;
}

if (!DATABASE_URL) {
  console.warn('[postgres tests] DATABASE_URL is not set: the tests against a real PostgreSQL server are SKIPPED.');
}

/** The store-contract harness on a migrated database, emptied first (PGlite or a server). */
export async function contractHarness(q: Queryable): Promise<StoreHarness> {
  await q.exec('TRUNCATE sync_job_idempotency, sync_jobs, connectors');
  return {
    ...postgresStores(q),
    countJobs: async () => (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_jobs')).rows[0]!.n,
    refusesOrphans: true,
    // no LISTEN here: the model's worker commands never wait
    queue: new PostgresSyncJobQueue(q),
  };
}
