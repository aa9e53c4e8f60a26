import type { Pool } from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import {
  PostgresConnectorStore,
  PostgresSyncJobStore,
  migrate,
  queryableFromPool,
} from '../../../adapters/postgres/index.js';
import type { Queryable } from '../../../adapters/postgres/index.js';
import { describeStoreContract } from '../../contract/stores.contract.js';
import { DATABASE_URL, createThrowawayDatabase, poolOn } from './pg-helpers.js';

describe.skipIf(!DATABASE_URL)('PostgreSQL server (DATABASE_URL)', () => {
  let pool: Pool;
  let q: Queryable;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await createThrowawayDatabase(DATABASE_URL!, 'contract');
    drop = db.drop;
    pool = poolOn(db.url);
    q = queryableFromPool(pool);
    await migrate(q);
  });
  afterAll(async () => {
    await pool?.end();
    await drop?.();
  });

  describeStoreContract('postgres (server)', async () => {
    await q.exec('TRUNCATE sync_job_idempotency, sync_jobs, connectors');
    return {
      connectors: new PostgresConnectorStore(q),
      jobs: new PostgresSyncJobStore(q),
      countJobs: async () => (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_jobs')).rows[0]!.n,
      refusesOrphans: true,
    };
  });
});
