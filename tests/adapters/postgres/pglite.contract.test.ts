import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import { queryableFromPglite } from '../../../adapters/postgres/index.js';
import type { Queryable } from '../../../adapters/postgres/index.js';
import { describeStoreContract } from 'connector-sync-jobs/testing';
import { openPgliteTemplate } from './flavours.js';
import { contractHarness } from './pg-helpers.js';

// One migrated PGlite for the file (loaded from the run's template, no initdb);
// every test starts from empty tables.
let db: PGlite;
let q: Queryable;
beforeAll(async () => {
  db = await openPgliteTemplate('migrated');
  q = queryableFromPglite(db);
});
afterAll(async () => {
  await db.close();
});

describeStoreContract('postgres (PGlite)', () => contractHarness(q));
