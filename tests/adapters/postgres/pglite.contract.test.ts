import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import {
  migrate,
  queryableFromPglite,
} from '../../../adapters/postgres/index.js';
import type { Queryable } from '../../../adapters/postgres/index.js';
import { describeStoreContract } from '../../contract/stores.contract.js';
import { contractHarness } from './pg-helpers.js';

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

describeStoreContract('postgres (PGlite)', () => contractHarness(q));
