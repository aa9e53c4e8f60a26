import type { Pool } from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import {
  migrate,
  queryableFromPool,
} from '../../../adapters/postgres/index.js';
import type { Queryable } from '../../../adapters/postgres/index.js';
import { describeStoreContract } from 'connector-sync-jobs/testing';
import { DATABASE_URL, contractHarness, createThrowawayDatabase, poolOn } from './pg-helpers.js';

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

  describeStoreContract('postgres (server)', () => contractHarness(q));
});
