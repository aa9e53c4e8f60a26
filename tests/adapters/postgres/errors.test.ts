import { Instant } from '../../../src/internal.js';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  CreateSyncJob,
  StorageUnavailableError,
  SyncJobError,
  UnstorableValueError,
  newSyncJob,
} from '../../../src/internal.js';
import type { SyncJob } from '../../../src/internal.js';
import {
  PostgresConnectorStore,
  PostgresSyncJobStore,
  migrate,
  queryableFromPglite,
  queryableFromPool,
  translateError,
} from '../../../adapters/postgres/index.js';
import { connector, testIds } from 'connector-sync-jobs/testing';
import { openPgliteTemplate, serverFlavour } from './flavours.js';
import { poolOn } from './pg-helpers.js';

function expectUnavailable(error: unknown): void {
  expect(error).toBeInstanceOf(StorageUnavailableError);
  expect((error as StorageUnavailableError).retryable).toBe(true);
  expect((error as Error).cause).toBeDefined();
}

describe('driver errors become typed errors', () => {
  it('translateError: connection, shutdown, timeout and busy codes are StorageUnavailableError', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '08006', '08001', '57P01', '57014', '53300', '40001']) {
      const e = Object.assign(new Error(`boom ${code}`), { code });
      const t = translateError(e, 'testing');
      expectUnavailable(t);
      expect(t.cause).toBe(e);
      expect(t.message).toContain(code);
    }
    for (const message of ['timeout exceeded when trying to connect', 'Connection terminated unexpectedly']) {
      expectUnavailable(translateError(new Error(message), 'testing'));
    }
  });

  it('translateError: unstorable values are UnstorableValueError; unknown errors are wrapped with cause', () => {
    for (const code of ['22021', '22P05', '54001', '22P02', '22003', '23514']) {
      expect(translateError(Object.assign(new Error('x'), { code }), 'testing')).toBeInstanceOf(UnstorableValueError);
    }
    const unknown = Object.assign(new Error('relation "nope" does not exist'), { code: '42P01' });
    const t = translateError(unknown, 'testing');
    expect(t).toBeInstanceOf(SyncJobError);
    expect(t.cause).toBe(unknown);
    expect(t.message).toContain('42P01');
    const own = ConflictError.duplicateId('x');
    expect(translateError(own, 'testing')).toBe(own);
  });

  it('a server that refuses connections: every store call is StorageUnavailableError, the use case too', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 2000 });
    const q = queryableFromPool(pool);
    const connectors = new PostgresConnectorStore(q);
    const jobs = new PostgresSyncJobStore(q);
    try {
      expectUnavailable(await connectors.findById('c').catch((e: unknown) => e));
      expectUnavailable(await connectors.upsert(connector('c')).catch((e: unknown) => e));
      expectUnavailable(await jobs.get('j').catch((e: unknown) => e));
      expectUnavailable(await jobs.findIdempotencyKey('k').catch((e: unknown) => e));
      const c = connector('c');
      const job = newSyncJob('j', { connectorId: 'c', jobType: 'full', triggerMethod: 'on_demand' }, c, Instant.ofEpochMillis(Date.now()));
      expectUnavailable(await jobs.insert(job).catch((e: unknown) => e));
      expectUnavailable(await migrate(q).catch((e: unknown) => e));
      const create = new CreateSyncJob(connectors, jobs, { now: () => Instant.ofEpochMillis(Date.now()) }, testIds());
      expectUnavailable(await create.execute({ id: 'c' }).catch((e: unknown) => e));
    } finally {
      await pool.end();
    }
  });

  it('a closed PGlite is StorageUnavailableError, an unmigrated one a typed error with the SQLSTATE', async () => {
    const db = await openPgliteTemplate('unmigrated');
    const q = queryableFromPglite(db);
    const err = await new PostgresConnectorStore(q).findById('c').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncJobError);
    expect((err as Error).message).toContain('42P01');
    expect((err as Error).cause).toBeDefined();
    await db.close();
    expectUnavailable(await new PostgresConnectorStore(q).findById('c').catch((e: unknown) => e));
  });

  it.skipIf(!serverFlavour.enabled)('server: pool timeouts and terminated backends are StorageUnavailableError', async () => {
    const d = await serverFlavour.open();
    const pool = poolOn(d.url!, 1, { connectionTimeoutMillis: 100 });
    try {
      const q = queryableFromPool(pool);
      const held = await pool.connect();
      expectUnavailable(await new PostgresConnectorStore(q).findById('c').catch((e: unknown) => e));
      held.release();
      const terminated = await q
        .transaction((tx) => tx.query('SELECT pg_terminate_backend(pg_backend_pid())'))
        .catch((e: unknown) => e);
      expectUnavailable(translateError(terminated, 'testing'));
      // the pool recovers: the next call works
      expect(await new PostgresConnectorStore(q).findById('c')).toBeNull();
    } finally {
      await pool.end();
      await d.close();
    }
  });

  it.skipIf(!serverFlavour.enabled)('server: bigint counters come back as numbers, without touching pg.types', async () => {
    const d = await serverFlavour.open();
    try {
      const connectors = new PostgresConnectorStore(d.q);
      const jobs = new PostgresSyncJobStore(d.q);
      await connectors.upsert(connector('c'));
      const job = newSyncJob('big', { connectorId: 'c', jobType: 'full', triggerMethod: 'on_demand' }, connector('c'), Instant.ofEpochMillis(Date.now()));
      await jobs.insert({ ...job, indexedDocumentVolume: 2 ** 40, totalDocumentCount: Number.MAX_SAFE_INTEGER });
      const read = await jobs.get('big');
      expect(read!.indexedDocumentVolume).toBe(2 ** 40);
      expect(read!.totalDocumentCount).toBe(Number.MAX_SAFE_INTEGER);
      expect(typeof read!.deletedDocumentCount).toBe('number');
      expect(pg.types.getTypeParser(20, 'text')('5')).toBe('5');
      // negative counters are refused by the CHECK constraints
      const negative = await jobs.insert({ ...job, id: 'neg', deletedDocumentCount: -1 }).catch((e: unknown) => e);
      expect(negative).toBeInstanceOf(UnstorableValueError);
      expect(await jobs.get('neg')).toBeNull();
      // so are a fractional counter and an unknown status: typed 400s, not retryable 503s
      const fractional = await jobs.insert({ ...job, id: 'frac', indexedDocumentCount: 1.5 }).catch((e: unknown) => e);
      expect(fractional).toBeInstanceOf(UnstorableValueError);
      const status = await jobs
        .insert({ ...job, id: 'odd-status', status: 'weird' as SyncJob['status'] })
        .catch((e: unknown) => e);
      expect(status).toBeInstanceOf(UnstorableValueError);
      expect(await jobs.get('frac')).toBeNull();
    } finally {
      await d.close();
    }
  });
});
