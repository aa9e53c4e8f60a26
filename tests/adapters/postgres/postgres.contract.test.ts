import { afterAll, beforeAll, describe } from 'vitest';
import { describeStoreContract } from 'connector-sync-jobs/testing';
import { serverFlavour } from './flavours.js';
import type { OpenDatabase } from './flavours.js';
import { contractHarness } from './pg-helpers.js';

describe.skipIf(!serverFlavour.enabled)('PostgreSQL server (DATABASE_URL)', () => {
  let db: OpenDatabase;
  beforeAll(async () => {
    db = await serverFlavour.open();
  });
  afterAll(async () => {
    await db?.close();
  });

  describeStoreContract('postgres (server)', () => contractHarness(db.q));
});
