import { describe, expect, it } from 'vitest';
import { MemoryConnectorStore, MemorySyncJobStore } from '../../adapters/memory/index.js';
import {
  CancelSyncJob,
  CheckInSyncJob,
  ClaimSyncJob,
  CreateSyncJob,
  DeleteSyncJob,
  ErrorSyncJob,
  GetSyncJob,
  InvalidRequestError,
  InvalidTransitionError,
  ListSyncJobs,
  SyncJobNotFoundError,
  TOKENS,
  UpdateSyncJobStats,
  createContainer,
} from '../../src/index.js';
import type { ServiceToken, SyncJobStore } from '../../src/index.js';
import { memoryModule } from '../../adapters/memory/index.js';
import { connector, delegatingSyncJobStore, sequentialIds, steppingClock } from 'connector-sync-jobs/testing';

async function setup() {
  const connectors = new MemoryConnectorStore();
  const base = new MemorySyncJobStore(connectors);
  let lookups = 0;
  const jobs: SyncJobStore = delegatingSyncJobStore(base, {
    apply: (id, plan) => {
      lookups++;
      return base.apply(id, plan);
    },
    delete: (id) => {
      lookups++;
      return base.delete(id);
    },
    get: (id) => {
      lookups++;
      return base.get(id);
    },
  });
  await connectors.upsert(connector('c1'));
  const clock = steppingClock();
  const create = new CreateSyncJob(connectors, jobs, clock, sequentialIds('job'));
  return { jobs, clock, create, lookups: () => lookups };
}

const EMPTY_ID = 'Validation Failed: 1: [connector_sync_job_id] of the connector sync job cannot be null or empty.;';

describe('lifecycle use cases', () => {
  it('a whole life: create, claim, stats, check-in, cancel, error, list, delete', async () => {
    const { jobs, clock, create } = await setup();
    const job = await create.execute({ id: 'c1' });
    const claimed = await new ClaimSyncJob(jobs, clock).execute(job.id, { worker_hostname: 'w', sync_cursor: { page: 1 } });
    expect(claimed).toMatchObject({ status: 'in_progress', workerHostname: 'w', connector: { syncCursor: { page: 1 } } });
    const stats = await new UpdateSyncJobStats(jobs, clock).execute(job.id, {
      deleted_document_count: 1,
      indexed_document_count: 3_000_000_000,
      indexed_document_volume: 5,
      last_seen: '2023-12-04T08:45:50.567149Z',
    });
    expect(stats.indexedDocumentCount).toBe(3_000_000_000);
    expect(stats.lastSeen!.toString()).toBe('2023-12-04T08:45:50.567149Z');
    const checked = await new CheckInSyncJob(jobs, clock).execute(job.id);
    expect(checked.lastSeen!.compareTo(stats.lastSeen!)).toBeGreaterThan(0);
    expect((await new CancelSyncJob(jobs, clock).execute(job.id)).status).toBe('canceling');
    expect((await new ErrorSyncJob(jobs, clock).execute(job.id, { error: 'stopped' })).status).toBe('error');
    const listed = await new ListSyncJobs(jobs).execute({ status: 'ERROR' });
    expect(listed.count).toBe(1);
    expect(listed.results[0]).toEqual(await new GetSyncJob(jobs).execute(job.id));
    await new DeleteSyncJob(jobs).execute(job.id);
    await expect(new GetSyncJob(jobs).execute(job.id)).rejects.toBeInstanceOf(SyncJobNotFoundError);
    await expect(new DeleteSyncJob(jobs).execute(job.id)).rejects.toThrow(`connector sync job [${job.id}] not found`);
  });

  it('a bad body or an empty id answers before any lookup; a missing job is 404 after', async () => {
    const { jobs, clock, lookups } = await setup();
    const calls: [string, () => Promise<unknown>][] = [
      ['claim', () => new ClaimSyncJob(jobs, clock).execute('missing', { nope: 1 })],
      ['error', () => new ErrorSyncJob(jobs, clock).execute('missing', { error: '' })],
      ['stats', () => new UpdateSyncJobStats(jobs, clock).execute('missing', { deleted_document_count: -1, indexed_document_count: 0, indexed_document_volume: 0 })],
      ['claim, no body', () => new ClaimSyncJob(jobs, clock).execute('missing', undefined)],
      ['cancel, empty id', () => new CancelSyncJob(jobs, clock).execute('')],
      ['check-in, empty id', () => new CheckInSyncJob(jobs, clock).execute('')],
      ['delete, empty id', () => new DeleteSyncJob(jobs).execute('')],
      ['get, empty id', () => new GetSyncJob(jobs).execute('')],
      ['list, bad page', () => new ListSyncJobs(jobs).execute({ size: '-1' })],
    ];
    for (const [name, call] of calls) await expect(call(), name).rejects.toBeInstanceOf(InvalidRequestError);
    expect(lookups()).toBe(0);
    await expect(new CancelSyncJob(jobs, clock).execute('')).rejects.toThrow(EMPTY_ID);
    for (const call of [
      () => new ClaimSyncJob(jobs, clock).execute('missing', { worker_hostname: 'w' }),
      () => new ErrorSyncJob(jobs, clock).execute('missing', { error: 'e' }),
      () => new UpdateSyncJobStats(jobs, clock).execute('missing', { deleted_document_count: 0, indexed_document_count: 0, indexed_document_volume: 0 }),
      () => new CancelSyncJob(jobs, clock).execute('missing'),
      () => new CheckInSyncJob(jobs, clock).execute('missing'),
    ]) {
      await expect(call()).rejects.toThrow('connector sync job [missing] not found');
    }
  });

  it('invalid transitions surface as InvalidTransitionError and change nothing', async () => {
    const { jobs, clock, create } = await setup();
    const job = await create.execute({ id: 'c1' });
    await expect(new ErrorSyncJob(jobs, clock).execute(job.id, { error: 'e' })).rejects.toBeInstanceOf(InvalidTransitionError);
    await new ClaimSyncJob(jobs, clock).execute(job.id, { worker_hostname: 'a' });
    const e = await new ClaimSyncJob(jobs, clock).execute(job.id, { worker_hostname: 'b' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'invalid_transition', from: 'in_progress', to: 'in_progress' });
    expect((await new GetSyncJob(jobs).execute(job.id)).workerHostname).toBe('a');
  });

  it('the container binds every use case', () => {
    const c = createContainer(memoryModule());
    const pairs: [ServiceToken<unknown>, unknown][] = [
      [TOKENS.ListSyncJobs, ListSyncJobs],
      [TOKENS.DeleteSyncJob, DeleteSyncJob],
      [TOKENS.CancelSyncJob, CancelSyncJob],
      [TOKENS.CheckInSyncJob, CheckInSyncJob],
      [TOKENS.ClaimSyncJob, ClaimSyncJob],
      [TOKENS.ErrorSyncJob, ErrorSyncJob],
      [TOKENS.UpdateSyncJobStats, UpdateSyncJobStats],
    ];
    for (const [token, cls] of pairs) {
      const a = c.get(token);
      expect(a).toBeInstanceOf(cls as new (...args: never[]) => unknown);
      expect(c.get(token)).toBe(a);
    }
  });
});
