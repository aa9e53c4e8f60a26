/**
 * The typed facade (`container.get(TOKENS.SyncJobs)`) and the typed tokens. The type-level checks
 * (`@ts-expect-error`) are checked by `npm run typecheck`: a token and a mismatched type argument
 * do not compile.
 */
import { describe, expect, it } from 'vitest';
import {
  ConnectorNotFoundError,
  ConnectorSyncJobs,
  Instant,
  InvalidRequestError,
  InvalidTransitionError,
  SyncJobNotFoundError,
  TOKENS,
  connectorSyncJobs,
  coreModule,
  createContainer,
} from '../src/index.js';
import type { CancelSyncJob, CreateSyncJob, SyncJob, SyncJobStore } from '../src/index.js';
import { ClaimSyncJob, CreateSyncJob as CreateSyncJobClass } from '../src/index.js';
import { memoryModule, MemoryConnectorStore, MemorySyncJobStore } from '../adapters/memory/index.js';
import { connector } from 'connector-sync-jobs/testing';
import { Container, ContainerModule } from 'inversify';

/** What the wire API answers for the same request, as the error the facade throws. */
async function failure(p: Promise<unknown>): Promise<{ name: string; kind?: string; message: string }> {
  const e = (await p.then(
    () => undefined,
    (x: unknown) => x,
  )) as InvalidRequestError | undefined;
  if (!e) throw new Error('expected a rejection');
  return { name: e.constructor.name, kind: e.kind, message: e.message };
}

describe('typed tokens', () => {
  it('container.get(TOKEN) is typed by the token; a mismatched type argument does not compile', () => {
    const container = createContainer(memoryModule());
    const create: CreateSyncJob = container.get(TOKENS.CreateSyncJob);
    expect(create).toBeInstanceOf(CreateSyncJobClass);
    const store: SyncJobStore = container.get(TOKENS.SyncJobStore);
    expect(store).toBeInstanceOf(MemorySyncJobStore);
    // @ts-expect-error the CreateSyncJob token does not give a CancelSyncJob
    const wrong: CancelSyncJob = container.get<CancelSyncJob>(TOKENS.CreateSyncJob);
    // @ts-expect-error nor can its result be used as one
    const wrong2: ClaimSyncJob = container.get(TOKENS.CreateSyncJob);
    void [wrong, wrong2];
    // the same symbols as before: two copies of the library agree on them
    expect(TOKENS.CreateSyncJob as unknown).toBe(Symbol.for('connector-sync-jobs.CreateSyncJob'));
  });
});

describe('the facade: container.get(TOKENS.SyncJobs)', () => {
  const open = async () => {
    const container = createContainer(memoryModule());
    const api = container.get(TOKENS.SyncJobs);
    await api.connectors.upsert(connector('c1'));
    return { container, api };
  };

  it('is one singleton, also as connectorSyncJobs(container)', async () => {
    const { container, api } = await open();
    expect(api).toBeInstanceOf(ConnectorSyncJobs);
    expect(connectorSyncJobs(container)).toBe(api);
  });

  it('runs a job through its life with camelCase commands and camelCase jobs', async () => {
    const { api } = await open();
    const job: SyncJob = await api.jobs.create({ connectorId: 'c1', jobType: 'incremental' });
    expect(job).toMatchObject({ status: 'pending', jobType: 'incremental', triggerMethod: 'on_demand', connector: { id: 'c1' } });
    expect(await api.jobs.get(job.id)).toEqual(job);
    const again = await api.jobs.create({ connectorId: 'c1' }, { idempotencyKey: 'k' });
    expect(await api.jobs.create({ connectorId: 'c1' }, { idempotencyKey: 'k' })).toEqual(again);

    const claimed = await api.jobs.claim(job.id, { workerHostname: 'w1', syncCursor: { page: 1 } });
    expect(claimed).toMatchObject({ status: 'in_progress', workerHostname: 'w1', connector: { syncCursor: { page: 1 } } });
    await expect(api.jobs.claim(job.id, { workerHostname: 'w2' })).rejects.toBeInstanceOf(InvalidTransitionError);
    const stats = await api.jobs.updateStats(job.id, {
      deletedDocumentCount: 0,
      indexedDocumentCount: 3_000_000_000,
      indexedDocumentVolume: 12,
      lastSeen: Instant.parse('2023-12-04T08:45:50.567149Z')!,
      metadata: { pages: 10 },
    });
    expect(stats.indexedDocumentCount).toBe(3_000_000_000);
    expect(stats.lastSeen?.toString()).toBe('2023-12-04T08:45:50.567149Z');
    expect(stats.metadata).toEqual({ pages: 10 });
    expect((await api.jobs.updateStats(job.id, { deletedDocumentCount: 1, indexedDocumentCount: 1, indexedDocumentVolume: 1, lastSeen: new Date(0) })).lastSeen?.toString()).toBe('1970-01-01T00:00:00.000Z');
    expect((await api.jobs.checkIn(job.id)).status).toBe('in_progress');
    expect((await api.jobs.cancel(job.id)).status).toBe('canceling');
    expect((await api.jobs.error(job.id, { error: 'stopped' })).error).toBe('stopped');

    const page = await api.jobs.list({ connectorId: 'c1', status: 'error', jobTypes: ['incremental', 'full'] });
    expect(page.count).toBe(1);
    expect(page.results[0]!.id).toBe(job.id);
    expect((await api.jobs.list({ size: 1 })).results).toHaveLength(1);
    await api.jobs.delete(job.id);
    await expect(api.jobs.get(job.id)).rejects.toBeInstanceOf(SyncJobNotFoundError);
  });

  it("ends a job well: complete and suspend with the final counts, a repeat answers noop, the fence, the connector's sync info", async () => {
    const { api } = await open();
    const job = await api.jobs.create({ connectorId: 'c1' });
    const claimed = await api.jobs.claim(job.id, { workerHostname: 'w1' });
    const fence = { ifStartedAt: claimed.startedAt! };
    const stale = { ifStartedAt: claimed.startedAt!.plusMicros(1) };
    expect((await failure(api.jobs.complete(job.id, {}, stale))).name).toBe('ConflictError');
    const done = await api.jobs.complete(job.id, { indexedDocumentCount: 5, syncCursor: { at: 'end' } }, fence);
    expect(done).toMatchObject({ result: 'updated', job: { status: 'completed', indexedDocumentCount: 5, connector: { syncCursor: { at: 'end' } } } });
    expect(await api.jobs.complete(job.id)).toMatchObject({ result: 'noop', job: { status: 'completed' } });
    expect(await api.connectors.get('c1')).toMatchObject({ lastSyncStatus: 'completed', lastIndexedDocumentCount: 5, syncCursor: { at: 'end' }, status: 'connected' });

    const other = await api.jobs.create({ connectorId: 'c1' });
    await api.jobs.claim(other.id, { workerHostname: 'w2' });
    expect(await api.jobs.suspend(other.id)).toMatchObject({ result: 'updated', job: { status: 'suspended' } });
    expect((await api.jobs.claim(other.id, { workerHostname: 'w3' })).status).toBe('in_progress');
    expect((await failure(api.jobs.complete(other.id, { deletedDocumentCount: -1 }))).message).toBe('Validation Failed: 1: [deleted_document_count] cannot be negative.;');
  });

  it('claims the next job and sweeps through the storage queue', async () => {
    const { api } = await open();
    await api.jobs.create({ connectorId: 'c1', jobType: 'full' });
    expect(await api.jobs.claimNext({ workerHostname: 'w', filters: { connectorIds: ['other'] } })).toBeNull();
    const next = await api.jobs.claimNext({ workerHostname: 'w', filters: { connectorIds: ['c1'], jobTypes: ['full'] }, waitMs: 10 });
    expect(next).toMatchObject({ status: 'in_progress', workerHostname: 'w' });
    const aborted = new AbortController();
    aborted.abort();
    expect(await api.jobs.claimNext({ workerHostname: 'w', waitMs: 5_000, signal: aborted.signal })).toBeNull();
    expect(await api.jobs.sweep({ idleThresholdMs: 300_000 })).toEqual({ orphaned: [], idle: [] });
  });

  it('validates typed input with the domain rules: the same InvalidRequestError as over HTTP', async () => {
    const { api } = await open();
    const job = await api.jobs.create({ connectorId: 'c1' });
    const invalid = (message: string) => ({ name: 'InvalidRequestError', kind: 'validation', message });
    expect(await failure(api.jobs.create({ connectorId: '' }))).toEqual(invalid('Validation Failed: 1: [id] of the connector cannot be null or empty;'));
    const emptyId = invalid('Validation Failed: 1: [connector_sync_job_id] of the connector sync job cannot be null or empty.;');
    expect(await failure(api.jobs.get(''))).toEqual(emptyId);
    expect(await failure(api.jobs.cancel(''))).toEqual(emptyId);
    expect(await failure(api.jobs.claim('', { workerHostname: 'w' }))).toEqual(emptyId);
    expect(await failure(api.jobs.error(job.id, { error: '' }))).toEqual(invalid('Validation Failed: 1: [error] of the connector sync job cannot be null or empty;'));
    expect(await failure(api.jobs.updateStats(job.id, { deletedDocumentCount: -1, indexedDocumentCount: 0, indexedDocumentVolume: -2 }))).toEqual(
      invalid('Validation Failed: 1: [deleted_document_count] cannot be negative.;2: [indexed_document_volume] cannot be negative.;'),
    );
    expect((await failure(api.jobs.list({ size: -1 }))).message).toBe('Parameter [size] cannot be < 0');
    expect((await failure(api.jobs.claimNext({ workerHostname: ' ' }))).message).toContain('[worker_hostname]');
    expect((await failure(api.jobs.claimNext({ workerHostname: 'w', waitMs: 61_000 }))).message).toContain('[wait_timeout] must be at most');
    // an untyped (JavaScript) caller gets the parser's answer, not a crash
    expect((await failure(api.jobs.create({ connectorId: 7 as unknown as string }))).name).toBe('InvalidRequestError');
    await expect(api.jobs.get('nope')).rejects.toBeInstanceOf(SyncJobNotFoundError);
  });

  it('connectors: upsert, get (soft-deleted ones only when asked), delete', async () => {
    const { api } = await open();
    expect(await api.connectors.upsert(connector('c1', { language: 'fr' }))).toBe('updated');
    expect((await api.connectors.get('c1')).language).toBe('fr');
    await api.connectors.delete('c1');
    await expect(api.connectors.get('c1')).rejects.toBeInstanceOf(ConnectorNotFoundError);
    expect((await api.connectors.get('c1', { includeDeleted: true })).deleted).toBe(true);
    await api.connectors.delete('c1', { hard: true });
    await expect(api.connectors.get('c1', { includeDeleted: true })).rejects.toBeInstanceOf(ConnectorNotFoundError);
    await expect(api.jobs.create({ connectorId: 'c1' })).rejects.toBeInstanceOf(ConnectorNotFoundError);
  });

  it('works on a container without a SyncJobQueue until a worker call needs one', async () => {
    const container = new Container();
    const connectors = new MemoryConnectorStore();
    const jobs = new MemorySyncJobStore(connectors);
    container.load(
      coreModule(),
      new ContainerModule(({ bind }) => {
        bind(TOKENS.ConnectorStore).toConstantValue(connectors);
        bind(TOKENS.ConnectorLookup).toConstantValue(connectors);
        bind(TOKENS.SyncJobStore).toConstantValue(jobs);
      }),
    );
    const api = container.get(TOKENS.SyncJobs);
    await api.connectors.upsert(connector('c1'));
    expect((await api.jobs.create({ connectorId: 'c1' })).status).toBe('pending');
    await expect(api.jobs.claimNext({ workerHostname: 'w' })).rejects.toThrow();
  });
});
