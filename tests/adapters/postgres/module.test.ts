import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poolOn } from './pg-helpers.js';
import { describe, expect, it } from 'vitest';
import {
  StorageUnavailableError,
  TOKENS,
  closeContainer,
  createContainer,
  initializeContainer,
} from '../../../src/index.js';
import type { ConnectorStore, CreateSyncJob, GetSyncJob, SyncJobStore } from '../../../src/index.js';
import { PostgresConnectorLookup, PostgresConnectorStore, PostgresSyncJobStore, postgresModule } from '../../../adapters/postgres/index.js';
import { connector } from 'connector-sync-jobs/testing';
import { openPgliteTemplate, serverFlavour } from './flavours.js';

async function createOne(container: ReturnType<typeof createContainer>, connectorId = 'c') {
  await container.get<ConnectorStore>(TOKENS.ConnectorStore).upsert(connector(connectorId));
  const job = await container.get<CreateSyncJob>(TOKENS.CreateSyncJob).execute({ id: connectorId });
  expect(await container.get<GetSyncJob>(TOKENS.GetSyncJob).execute(job.id)).toEqual(job);
  return job;
}

describe('postgresModule', () => {
  it('binds the stores on one database, migrates in initializeContainer, closes the PGlite it opened', async () => {
    const container = createContainer(postgresModule());
    await initializeContainer(container);
    expect(container.get(TOKENS.ConnectorStore)).toBeInstanceOf(PostgresConnectorStore);
    // the create path's lookup answers from the connector cache the two stores share
    expect(container.get(TOKENS.ConnectorLookup)).toBeInstanceOf(PostgresConnectorLookup);
    expect(container.get(TOKENS.SyncJobStore)).toBeInstanceOf(PostgresSyncJobStore);
    expect(container.isBound(TOKENS.Closeable)).toBe(true);
    await createOne(container);
    await closeContainer(container);
    const after = await container.get<SyncJobStore>(TOKENS.SyncJobStore).get('x').catch((e: unknown) => e);
    expect(after).toBeInstanceOf(StorageUnavailableError);
  });

  it('pgliteDataDir: the data survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csj-pglite-'));
    try {
      const first = createContainer(postgresModule({ pgliteDataDir: dir }));
      await initializeContainer(first);
      const job = await createOne(first);
      await closeContainer(first);
      const second = createContainer(postgresModule({ pgliteDataDir: dir }));
      await initializeContainer(second); // already migrated: a no-op
      expect(await second.get<SyncJobStore>(TOKENS.SyncJobStore).get(job.id)).toEqual(job);
      await closeContainer(second);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a host's own PGlite is used and never closed", async () => {
    const db = await openPgliteTemplate('unmigrated');
    try {
      const container = createContainer(postgresModule({ pglite: db }));
      // the one Closeable is the worker queue's own LISTEN subscription, never the database
      expect(container.getAll(TOKENS.Closeable)).toHaveLength(1);
      await initializeContainer(container);
      await createOne(container);
      await closeContainer(container);
      expect(db.closed).toBe(false);
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_jobs')).rows[0]!.n).toBe(1);
    } finally {
      await db.close();
    }
  });

  it.skipIf(!serverFlavour.enabled)("server: a host's own pool is never ended; a connection string's pool is", async () => {
    const d = await serverFlavour.open({ migrated: false });
    const pool = poolOn(d.url!, 5);
    try {
      const hosted = createContainer(postgresModule({ pool }));
      // the one Closeable is the worker queue's own LISTEN connection, never the pool
      expect(hosted.getAll(TOKENS.Closeable)).toHaveLength(1);
      await initializeContainer(hosted);
      await createOne(hosted, 'hosted');
      await closeContainer(hosted);
      expect((await pool.query('SELECT count(*)::int AS n FROM sync_jobs')).rows[0].n).toBe(1);

      const owned = createContainer(postgresModule({ connectionString: d.url! }));
      expect(owned.isBound(TOKENS.Closeable)).toBe(true);
      await initializeContainer(owned);
      await createOne(owned, 'owned');
      await closeContainer(owned);
      const after = await owned.get<SyncJobStore>(TOKENS.SyncJobStore).get('x').catch((e: unknown) => e);
      expect(after).toBeInstanceOf(StorageUnavailableError);
    } finally {
      await pool.end();
      await d.close();
    }
  });
});
