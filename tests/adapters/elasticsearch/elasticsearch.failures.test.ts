/**
 * Failure paths through the official transport mock: every client error ends in a typed error
 * of the library, and a failed create leaves no job and no claim or lock document behind.
 */
import { describe, expect, it } from 'vitest';
import { ElasticsearchConnectorStore, ElasticsearchSyncJobStore, activeLockDocId, idempotencyDocId } from '../../../adapters/elasticsearch/index.js';
import {
  ConflictError,
  CreateSyncJob,
  Instant,
  StorageFailureError,
  StorageUnavailableError,
  UnstorableValueError,
  isSyncJobError,
} from '../../../src/index.js';
import { connector, fixedClock, sequentialIds, vectors } from 'connector-sync-jobs/testing';
import { CONNECTORS, IDEMPOTENCY, JOBS, LOCKS, MockCluster, errors, esError, respond } from './mock-cluster.js';
import type { RecordedRequest } from './mock-cluster.js';

const NOW = Instant.parse('2026-11-29T10:11:12.345Z')!;

function setup(settings: ConstructorParameters<typeof ElasticsearchSyncJobStore>[1] = {}) {
  const cluster = new MockCluster();
  // No transport retries here: a retried ConnectionError waits for the pool's resurrection.
  const client = cluster.client({ maxRetries: 0 });
  const connectors = new ElasticsearchConnectorStore(client, settings);
  const jobs = new ElasticsearchSyncJobStore(client, settings);
  const ids = sequentialIds('job');
  const create = (policy = false) => new CreateSyncJob(connectors, jobs, fixedClock(NOW), ids, { oneActiveJobPerClass: policy });
  return { cluster, client, connectors, jobs, create };
}

function seed(cluster: MockCluster, index: string, id: string, source: Record<string, unknown>): void {
  cluster.seed(index, id, source);
}

function seedPlain(cluster: MockCluster): void {
  seed(cluster, CONNECTORS, 'plain', vectors.connectors.plain as Record<string, unknown>);
}

const onPut = (index: string) => (r: RecordedRequest) => r.method === 'PUT' && r.path.startsWith(`/${index}/`);
const onGet = (index: string) => (r: RecordedRequest) => r.method === 'GET' && r.path.startsWith(`/${index}/`);

const faults: Record<string, () => unknown> = {
  '429 too many requests': () => esError(429, 'es_rejected_execution_exception', 'rejected execution'),
  '503 unavailable': () => esError(503, 'unavailable_shards_exception', 'primary shard is not active'),
  '500 internal': () => esError(500, 'null_pointer_exception', 'boom'),
  'a timeout': () => new errors.TimeoutError('Request timed out'),
  'a connection error': () => new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200'),
};

/** Nothing but the seeded connector is left in the cluster. */
function expectNothingWritten(cluster: MockCluster): void {
  expect(cluster.docs(JOBS).size).toBe(0);
  expect(cluster.docs(IDEMPOTENCY).size).toBe(0);
  expect(cluster.docs(LOCKS).size).toBe(0);
}

describe('elasticsearch adapter: failure paths', () => {
  it('a missing connectors index (404 index_not_found_exception) is "not found", as upstream', async () => {
    const { cluster, connectors, create } = setup();
    expect(await connectors.findById('plain')).toBeNull();
    expect(cluster.requests[0]).toMatchObject({ method: 'GET', path: `/${CONNECTORS}/_doc/plain` });
    await expect(create().execute({ id: 'plain' })).rejects.toMatchObject({ code: 'connector_not_found' });
    expectNothingWritten(cluster);
  });

  it('a missing jobs index or idempotency index: get -> null, findIdempotencyKey -> null', async () => {
    const { cluster, jobs } = setup();
    expect(await jobs.get('nope')).toBeNull();
    expect(await jobs.findIdempotencyKey('k')).toBeNull();
    expect(cluster.requests.map((r) => r.path)).toEqual([`/${JOBS}/_doc/nope`, `/${IDEMPOTENCY}/_doc/${idempotencyDocId('k')}`]);
  });

  for (const [name, fault] of Object.entries(faults)) {
    it(`${name} on the connector read -> StorageUnavailableError (retryable), nothing written`, async () => {
      const { cluster, create } = setup();
      seedPlain(cluster);
      cluster.failNext(onGet(CONNECTORS), fault, 10);
      const err = await create().execute({ id: 'plain' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageUnavailableError);
      expect((err as StorageUnavailableError).retryable).toBe(true);
      expect((err as Error).cause).toBeDefined();
      expectNothingWritten(cluster);
    });

    for (const target of [JOBS, IDEMPOTENCY, LOCKS]) {
      it(`${name} on the write to ${target} -> StorageUnavailableError; no job, no claim, no lock left`, async () => {
        const { cluster, create } = setup();
        seedPlain(cluster);
        cluster.failNext(onPut(target), fault);
        const err = await create(true).execute({ id: 'plain' }, { idempotencyKey: 'k-1' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(StorageUnavailableError);
        expect(cluster.requests.some(onPut(target))).toBe(true);
        expectNothingWritten(cluster);
        // and the next attempt goes through
        const job = await create(true).execute({ id: 'plain' }, { idempotencyKey: 'k-1' });
        expect(cluster.docs(JOBS).has(job.id)).toBe(true);
      });
    }
  }

  it('409 on the job write (id taken) -> ConflictError duplicate_id; claim and lock removed', async () => {
    const { cluster, create } = setup();
    seedPlain(cluster);
    seed(cluster, JOBS, 'job-1', { theirs: true });
    const err = await create(true).execute({ id: 'plain' }, { idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).kind).toBe('duplicate_id');
    expect(cluster.docs(JOBS).get('job-1')!.source).toEqual({ theirs: true });
    expect(cluster.docs(IDEMPOTENCY).size).toBe(0);
    expect(cluster.docs(LOCKS).size).toBe(0);
    const deletes = cluster.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((d) => d.path).sort()).toEqual(
      [`/${IDEMPOTENCY}/_doc/${idempotencyDocId('k')}`, `/${LOCKS}/_doc/${activeLockDocId('plain', 'content')}`].sort(),
    );
    for (const d of deletes) expect(d.querystring).toHaveProperty('if_seq_no');
  });

  it('a timeout on the job write that did land: verified by a read, the create succeeds', async () => {
    const { cluster, create } = setup();
    seedPlain(cluster);
    cluster.failNext(onPut(JOBS), () => {
      const last = cluster.requests[cluster.requests.length - 1]!;
      seed(cluster, JOBS, last.path.split('/')[3]!, last.body as Record<string, unknown>);
      return new errors.TimeoutError('Request timed out');
    });
    const job = await create().execute({ id: 'plain' });
    expect(cluster.docs(JOBS).has(job.id)).toBe(true);
  });

  it('a failed cleanup leaves a claim that is taken over once stale', async () => {
    let clock = Date.parse('2026-11-29T07:00:00Z');
    const { cluster, create } = setup({ now: () => clock, staleClaimMs: 60_000, claimWaitMs: 30 });
    seedPlain(cluster);
    cluster.failNext(onPut(JOBS), () => esError(503, 'unavailable_shards_exception', 'x'));
    cluster.failNext((r) => r.method === 'DELETE', () => new errors.ConnectionError('down'), 2);
    const first = await create(true).execute({ id: 'plain' }, { idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(StorageUnavailableError);
    expect(cluster.docs(JOBS).size).toBe(0);
    expect(cluster.docs(IDEMPOTENCY).size).toBe(1); // left behind
    expect(cluster.docs(LOCKS).size).toBe(1);
    // fresh: a replay waits, then answers retryable; the lock still counts as in flight
    const waiting = await create(true).execute({ id: 'plain' }, { idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(waiting).toBeInstanceOf(StorageUnavailableError);
    const blocked = await create(true).execute({ id: 'plain' }).catch((e: unknown) => e);
    expect((blocked as ConflictError).kind).toBe('active_job_exists');
    // stale: both are taken over
    clock += 61_000;
    const job = await create(true).execute({ id: 'plain' }, { idempotencyKey: 'k' });
    expect(cluster.docs(JOBS).size).toBe(1);
    expect(cluster.docs(IDEMPOTENCY).get(idempotencyDocId('k'))!.source.job_id).toBe(job.id);
    expect(cluster.docs(LOCKS).get(activeLockDocId('plain', 'content'))!.source.job_id).toBe(job.id);
  });

  it('a lock whose job reached a terminal status is taken over; an active one blocks', async () => {
    const { cluster, create, jobs } = setup();
    seedPlain(cluster);
    const first = await create(true).execute({ id: 'plain' });
    const blocked = await create(true).execute({ id: 'plain', job_type: 'incremental' }).catch((e: unknown) => e);
    expect((blocked as ConflictError).activeJobId).toBe(first.id);
    for (const status of ['in_progress', 'canceling', 'suspended']) {
      cluster.docs(JOBS).get(first.id)!.source.status = status;
      expect(await create(true).execute({ id: 'plain' }).catch((e: unknown) => (e as ConflictError).kind)).toBe('active_job_exists');
    }
    cluster.docs(JOBS).get(first.id)!.source.status = 'completed';
    const second = await create(true).execute({ id: 'plain' });
    expect((await jobs.get(second.id))!.status).toBe('pending');
    expect(cluster.docs(LOCKS).get(activeLockDocId('plain', 'content'))!.source.job_id).toBe(second.id);
  });

  it('an active job written without the lock (Elasticsearch\'s own API, policy off) is found by search', async () => {
    const { cluster, create } = setup();
    seedPlain(cluster);
    const theirs = { connector: { id: 'plain' }, created_at: '2026-01-01T00:00:00.000Z', job_type: 'incremental', status: 'in_progress' };
    cluster.seed(JOBS, 'upstream-job', theirs);
    const err = await create(true).execute({ id: 'plain' }).catch((e: unknown) => e);
    expect((err as ConflictError).kind).toBe('active_job_exists');
    expect((err as ConflictError).activeJobId).toBe('upstream-job');
    expect(cluster.docs(LOCKS).size).toBe(0); // the lock taken for the attempt was removed
    // another class is not blocked; a terminal job does not block
    await create(true).execute({ id: 'plain', job_type: 'access_control' });
    cluster.seed(JOBS, 'upstream-job', { ...theirs, status: 'error' });
    await create(true).execute({ id: 'plain' });
    // a job created with the policy off blocks once the policy is on
    const off = setup();
    seedPlain(off.cluster);
    const first = await off.create(false).execute({ id: 'plain' });
    const blocked = await off.create(true).execute({ id: 'plain' }).catch((e: unknown) => e);
    expect((blocked as ConflictError).activeJobId).toBe(first.id);
  });

  it('a failed search for active jobs -> StorageUnavailableError, the lock removed', async () => {
    const { cluster, create } = setup();
    seedPlain(cluster);
    cluster.failNext((r) => r.path === `/${JOBS}/_search`, () => esError(503, 'search_phase_execution_exception', 'all shards failed'));
    const err = await create(true).execute({ id: 'plain' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageUnavailableError);
    expectNothingWritten(cluster);
  });

  it('idempotency mismatch after a committed create: 409, the claim untouched', async () => {
    const { cluster, jobs, create } = setup();
    seedPlain(cluster);
    const job = await create().execute({ id: 'plain' }, { idempotencyKey: 'k' });
    // straight to the store, skipping the use case's pre-check
    const other = { ...job, id: 'other', jobType: 'incremental' as const };
    const err = await jobs.insert(other, { idempotency: { key: 'k', fingerprint: 'different' } }).catch((e: unknown) => e);
    expect((err as ConflictError).kind).toBe('idempotency_mismatch');
    expect(cluster.docs(IDEMPOTENCY).get(idempotencyDocId('k'))!.source.job_id).toBe(job.id);
    expect(cluster.docs(JOBS).size).toBe(1);
  });

  it('a document the mapping rejects (400 document_parsing_exception) -> UnstorableValueError', async () => {
    const { cluster, create } = setup();
    seedPlain(cluster);
    cluster.failNext(onPut(JOBS), () => esError(400, 'document_parsing_exception', '[1:2] failed to parse field [created_at]'));
    const err = await create().execute({ id: 'plain' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnstorableValueError);
  });

  it('401/403 are StorageFailureError (not retryable: retrying cannot fix credentials), never a client error', async () => {
    const { cluster, connectors, jobs } = setup();
    for (const [status, type] of [[403, "security_exception"], [401, "security_exception"]] as const) {
      cluster.failNext(() => true, () => esError(status, type, 'action [indices:data/read/get] is unauthorized'), 3);
      for (const call of [() => connectors.findById('x'), () => jobs.get('x'), () => jobs.ensureIndices()]) {
        const err = await call().catch((e: unknown) => e);
        expect(isSyncJobError(err)).toBe(true);
        expect(err).toBeInstanceOf(StorageFailureError);
        expect((err as StorageFailureError).retryable).toBe(false);
        expect((err as Error).message).toContain(`answered ${status} (`); // HEAD answers have no body: type unknown
      }
    }
  });

  it('429 and 5xx are StorageUnavailableError (retryable); the reason never carries the node address', async () => {
    const { cluster, jobs } = setup();
    for (const [status, type] of [[429, 'es_rejected_execution_exception'], [503, 'unavailable_shards_exception'], [500, 'exception']] as const) {
      cluster.failNext(() => true, () => esError(status, type, 'busy'), 1);
      const err = await jobs.get('x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageUnavailableError);
      expect((err as StorageUnavailableError).retryable).toBe(true);
    }
    cluster.failNext(() => true, () => new errors.ConnectionError('connect ECONNREFUSED 10.1.2.3:9200'), 1);
    const err = await jobs.get('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageUnavailableError);
    expect((err as Error).message).not.toContain('10.1.2.3');
  });

  it('a 404 that is not Elasticsearch saying "no such document/index" is not read as "not found"', async () => {
    const { cluster, connectors, jobs } = setup();
    // a wrong path or proxy: retrying cannot help, so not retryable
    cluster.failNext(() => true, () => esError(404, 'not_found', 'no handler for this path'), 1);
    expect(await connectors.findById('x').catch((e: unknown) => e)).toBeInstanceOf(StorageFailureError);
    cluster.failNext(() => true, () => respond(404, 'Not Found'), 1); // a proxy's text body
    expect(await jobs.get('x').catch((e: unknown) => e)).toBeInstanceOf(StorageFailureError);
  });

  it('a 200 answer that is not a document is not read as "not found"', async () => {
    const { cluster, jobs } = setup();
    cluster.failNext(() => true, () => 'Not Found', 1);
    expect(await jobs.get('x').catch((e: unknown) => e)).toBeInstanceOf(StorageUnavailableError);
  });

  it('connector upsert failures are typed too', async () => {
    const { cluster, connectors } = setup();
    cluster.failNext(onPut(CONNECTORS), () => new errors.TimeoutError('Request timed out'));
    const err = await connectors
      .upsert(connector('c', { indexName: 'i', serviceType: 's', language: null }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageUnavailableError);
  });
});
