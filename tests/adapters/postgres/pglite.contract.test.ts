import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import {
  PostgresConnectorStore,
  PostgresSyncJobStore,
  migrate,
  queryableFromPglite,
} from '../../../adapters/postgres/index.js';
import type { Queryable } from '../../../adapters/postgres/index.js';
import { describeStoreContract } from '../../contract/stores.contract.js';

// One PGlite, created and migrated once (cold start and clone() both cost ~2 s);
// every test starts from empty tables.
let db: PGlite;
let q: Queryable;
beforeAll(async () => {
  db = await PGlite.create();
  q = queryableFromPglite(db);
  await migrate(q);
});
afterAll(async () => {
  await db.close();
});

describeStoreContract('postgres (PGlite)', async () => {
  await q.exec('TRUNCATE sync_job_idempotency, sync_jobs, connectors');
  return {
    connectors: new PostgresConnectorStore(q),
    jobs: new PostgresSyncJobStore(q),
    countJobs: async () => (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_jobs')).rows[0]!.n,
    refusesOrphans: true,
  };
});
