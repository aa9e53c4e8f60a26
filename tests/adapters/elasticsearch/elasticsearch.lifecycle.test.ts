/**
 * The lifecycle methods of the Elasticsearch SyncJobStore (update, list, delete), request by
 * request on the official transport mock: the partial `_update` with `if_seq_no`/
 * `if_primary_term`, its 409 retry and bound, the `_search` of a list, and a delete that frees
 * the job's idempotency claim and active-job lock at once.
 */
import { describe, expect, it } from 'vitest';
import {
  ElasticsearchConnectorStore,
  ElasticsearchSyncJobStore,
  activeLockDocId,
  idempotencyDocId,
} from '../../../adapters/elasticsearch/index.js';
import {
  ConflictError,
  CorruptSyncJobError,
  CreateSyncJob,
  Instant,
  InvalidTransitionError,
  StorageUnavailableError,
  cancelSyncJobPlan,
  checkInSyncJobPlan,
  claimSyncJobPlan,
  decodeSyncJobDocument,
  encodeSyncJobDocument,
  errorSyncJobPlan,
  updateSyncJobStatsPlan,
} from '../../../src/internal.js';
import type { JsonObject, SyncJob } from '../../../src/internal.js';
import { appliedJob, connector, fixedClock, sequentialIds, syncJob } from 'connector-sync-jobs/testing';
import { CONNECTORS, IDEMPOTENCY, JOBS, LOCKS, MockCluster, errors, esError } from './mock-cluster.js';
import type { RecordedRequest } from './mock-cluster.js';

/** Runs `effect` once, when the first request matching `match` arrives, before the mock answers it. */
function beforeFirst(cluster: MockCluster, match: (r: RecordedRequest) => boolean, effect: () => void): void {
  let done = false;
  cluster.failNext((r) => {
    if (!done && match(r)) {
      done = true;
      effect();
    }
    return false;
  }, () => null);
}

const T0 = Instant.parse('2026-11-29T10:11:12.345Z')!;
const T1 = Instant.parse('2026-11-29T10:20:00.123456Z')!;
const T2 = Instant.parse('2026-11-29T10:30:00.654321Z')!;

const CONNECTOR = connector('conn-1');

function setup(settings: ConstructorParameters<typeof ElasticsearchSyncJobStore>[1] = {}) {
  const cluster = new MockCluster();
  const client = cluster.client({ maxRetries: 0 });
  const jobs = new ElasticsearchSyncJobStore(client, settings);
  const connectors = new ElasticsearchConnectorStore(client, settings);
  return { cluster, client, jobs, connectors };
}

/** The requests sent after `from`, as [method, path, querystring, body]. */
const sent = (cluster: MockCluster, from = 0) =>
  cluster.requests.slice(from).map((r: RecordedRequest) => [r.method, r.path, r.querystring, r.body]);

const seqOf = (cluster: MockCluster, index: string, id: string) => String(cluster.docs(index).get(id)!.seqNo);

describe('elasticsearch adapter: update', () => {
  it('check-in: GET, then a partial _update of last_seen with if_seq_no/if_primary_term and refresh', async () => {
    const { cluster, jobs } = setup();
    await jobs.insert(syncJob('j1', CONNECTOR));
    const seq = seqOf(cluster, JOBS, 'j1');
    const before = cluster.requests.length;
    const updated = await appliedJob(jobs, 'j1', checkInSyncJobPlan(T1));
    expect(sent(cluster, before)).toEqual([
      ['GET', `/${JOBS}/_doc/j1`, {}, null],
      [
        'POST',
        `/${JOBS}/_update/j1`,
        { if_seq_no: seq, if_primary_term: '1', refresh: 'true' },
        { doc: { last_seen: '2026-11-29T10:20:00.123456Z' } },
      ],
    ]);
    expect(updated).toEqual({ ...syncJob('j1', CONNECTOR), lastSeen: T1 });
    // stored: the whole document, only last_seen changed, microseconds kept
    expect(cluster.docs(JOBS).get('j1')!.source).toEqual({ ...encodeSyncJobDocument(syncJob('j1', CONNECTOR)), last_seen: '2026-11-29T10:20:00.123456Z' });
    expect(await jobs.get('j1')).toEqual(updated);
  });

  it('claim: the changed fields in snake_case, the cursor as {connector: {sync_cursor}} merged as Elasticsearch merges', async () => {
    const { cluster, jobs } = setup();
    const stored = syncJob('j1', CONNECTOR);
    stored.connector = { ...stored.connector, syncCursor: { a: { x: 1 }, b: 2 } };
    await jobs.insert(stored);
    const before = cluster.requests.length;
    const updated = await appliedJob(jobs, 'j1', claimSyncJobPlan({ workerHostname: 'worker-7', syncCursor: { a: { y: 2 } } }, T1));
    const write = cluster.requests.slice(before).filter((r) => r.method === 'POST');
    expect(write).toHaveLength(1);
    expect(write[0]!.body).toEqual({
      doc: {
        last_seen: '2026-11-29T10:20:00.123456Z',
        started_at: '2026-11-29T10:20:00.123456Z',
        status: 'in_progress',
        worker_hostname: 'worker-7',
        connector: { sync_cursor: { a: { x: 1, y: 2 }, b: 2 } },
      },
    });
    const source = cluster.docs(JOBS).get('j1')!.source as { connector: Record<string, unknown> };
    // the rest of the snapshot is kept by the merge
    expect(source.connector).toEqual({ ...encodeSyncJobDocument(stored).connector as object, sync_cursor: { a: { x: 1, y: 2 }, b: 2 } });
    expect(updated!.status).toBe('in_progress');
    expect(updated!.connector.syncCursor).toEqual({ a: { x: 1, y: 2 }, b: 2 });
    expect(await jobs.get('j1')).toEqual(updated);
  });

  it('stats: counters, last_seen and the merged metadata; the result is what Elasticsearch stores', async () => {
    const { cluster, jobs } = setup();
    const stored = { ...syncJob('j1', CONNECTOR), metadata: { keep: 1, nested: { a: 1 } } };
    await jobs.insert(stored);
    const before = cluster.requests.length;
    const updated = await appliedJob(jobs, 'j1', updateSyncJobStatsPlan({ deletedDocumentCount: 1, indexedDocumentCount: 3_000_000_000, indexedDocumentVolume: 7, metadata: { nested: { b: 2 } } },
        T2,));
    expect(cluster.requests[before + 1]!.body).toEqual({
      doc: {
        deleted_document_count: 1,
        indexed_document_count: 3_000_000_000,
        indexed_document_volume: 7,
        last_seen: '2026-11-29T10:30:00.654321Z',
        metadata: { keep: 1, nested: { a: 1, b: 2 } },
      },
    });
    expect(updated!.metadata).toEqual({ keep: 1, nested: { a: 1, b: 2 } });
    expect(updated!.indexedDocumentCount).toBe(3_000_000_000);
    expect(await jobs.get('j1')).toEqual(updated);
  });

  it('a 409 (another writer between GET and _update): re-read, re-apply on the new job, write with the new seq_no', async () => {
    const { cluster, jobs } = setup();
    await jobs.insert(syncJob('j1', CONNECTOR));
    const before = cluster.requests.length;
    beforeFirst(cluster, (r) => r.path === `/${JOBS}/_update/j1`, () => {
      // another writer checks in meanwhile (as a real concurrent `_update` would)
      const source = cluster.docs(JOBS).get('j1')!.source;
      cluster.seed(JOBS, 'j1', { ...source, last_seen: '2026-11-29T10:25:00.000001Z', worker_hostname: 'other' });
    });
    const updated = await appliedJob(jobs, 'j1', cancelSyncJobPlan(T2));
    const firstSeq = String(cluster.requests[before + 1]!.querystring.if_seq_no);
    const paths = sent(cluster, before).map(([m, p, q]) => [m, p, (q as Record<string, string>).if_seq_no]);
    const secondSeq = String(Number(firstSeq) + 1);
    expect(paths).toEqual([
      ['GET', `/${JOBS}/_doc/j1`, undefined],
      ['POST', `/${JOBS}/_update/j1`, firstSeq],
      ['GET', `/${JOBS}/_doc/j1`, undefined],
      ['POST', `/${JOBS}/_update/j1`, secondSeq],
    ]);
    // nothing the other writer wrote is lost
    expect(updated).toMatchObject({ status: 'canceled', workerHostname: 'other', lastSeen: Instant.parse('2026-11-29T10:25:00.000001Z') });
    expect(await jobs.get('j1')).toEqual(updated);
  });

  it('gives up after updateAttempts lost rounds with a retryable StorageUnavailableError', async () => {
    const { cluster, jobs } = setup({ updateAttempts: 3 });
    await jobs.insert(syncJob('j1', CONNECTOR));
    const conflict = () => esError(409, 'version_conflict_engine_exception', '[j1]: version conflict');
    cluster.failNext((r) => r.path === `/${JOBS}/_update/j1`, conflict, 3);
    const before = cluster.requests.length;
    const err = await appliedJob(jobs, 'j1', checkInSyncJobPlan(T1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageUnavailableError);
    expect(err).toMatchObject({ code: 'storage_unavailable', retryable: true });
    expect(sent(cluster, before).map(([m]) => m)).toEqual(['GET', 'POST', 'GET', 'POST', 'GET', 'POST']);
    expect(cluster.docs(JOBS).get('j1')!.source.last_seen).toBe(T0.toString());
  });

  it('missing job or index -> null; a job deleted between GET and _update (document_missing_exception) -> null', async () => {
    const { cluster, jobs } = setup();
    expect(await appliedJob(jobs, 'nope', checkInSyncJobPlan(T1))).toBeNull(); // no index
    expect(sent(cluster)).toEqual([['GET', `/${JOBS}/_doc/nope`, {}, null]]);
    await jobs.insert(syncJob('j1', CONNECTOR));
    expect(await appliedJob(jobs, 'nope', checkInSyncJobPlan(T1))).toBeNull();
    const before = cluster.requests.length;
    beforeFirst(cluster, (r) => r.path === `/${JOBS}/_update/j1`, () => cluster.docs(JOBS).delete('j1'));
    const result = await jobs.apply('j1', checkInSyncJobPlan(T1));
    expect(result).toBeNull();
    expect(sent(cluster, before).map(([m, p]) => `${m} ${p}`)).toEqual([`GET /${JOBS}/_doc/j1`, `POST /${JOBS}/_update/j1`]);
    expect(cluster.docs(JOBS).has('j1')).toBe(false);
  });

  it('a refused plan writes nothing and its error propagates; a plan that changes nothing sends no _update', async () => {
    const { cluster, jobs } = setup();
    await jobs.insert({ ...syncJob('j1', CONNECTOR), status: 'completed' });
    const before = cluster.requests.length;
    await expect(appliedJob(jobs, 'j1', claimSyncJobPlan({ workerHostname: 'w' }, T1))).rejects.toBeInstanceOf(InvalidTransitionError);
    // the sweeper's idle plan on a completed job: noop, nothing sent but the read
    const idle = await jobs.apply('j1', { ...errorSyncJobPlan({ error: 'idle' }, T1), refuse: undefined, lastSeenAtOrBefore: T1 });
    expect(idle).toEqual({ job: { ...syncJob('j1', CONNECTOR), status: 'completed' }, result: 'noop' });
    expect(cluster.requests.slice(before).every((r) => r.method === 'GET')).toBe(true);
  });

  it('no answer to the _update: read back; the expected document with a new seq_no counts as written, else retryable', async () => {
    const { cluster, jobs } = setup();
    await jobs.insert(syncJob('j1', CONNECTOR));
    // the write lands, the answer is lost
    cluster.failNext((r) => r.path === `/${JOBS}/_update/j1`, () => {
      const source = cluster.docs(JOBS).get('j1')!.source;
      cluster.seed(JOBS, 'j1', { ...source, last_seen: T1.toString() });
      return new errors.TimeoutError('Request timed out');
    });
    expect(await appliedJob(jobs, 'j1', checkInSyncJobPlan(T1))).toEqual({ ...syncJob('j1', CONNECTOR), lastSeen: T1 });
    // the write is lost with its answer
    cluster.failNext((r) => r.path === `/${JOBS}/_update/j1`, () => new errors.ConnectionError('socket hang up'));
    const err = await appliedJob(jobs, 'j1', checkInSyncJobPlan(T2)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageUnavailableError);
    expect(cluster.docs(JOBS).get('j1')!.source.last_seen).toBe(T1.toString());
  });

  it('an answered failure of the _update (503, 429) is a retryable StorageUnavailableError at once, nothing retried', async () => {
    const { cluster, jobs } = setup();
    await jobs.insert(syncJob('j1', CONNECTOR));
    for (const fault of [
      () => esError(503, 'unavailable_shards_exception', 'primary shard is not active'),
      () => esError(429, 'es_rejected_execution_exception', 'rejected execution'),
    ]) {
      cluster.failNext((r) => r.path === `/${JOBS}/_update/j1`, fault);
      const before = cluster.requests.length;
      const err = await appliedJob(jobs, 'j1', checkInSyncJobPlan(T1)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageUnavailableError);
      expect(err).toMatchObject({ retryable: true });
      expect(cluster.requests.slice(before).map((r) => r.method)).toEqual(['GET', 'POST']);
    }
    expect(cluster.docs(JOBS).get('j1')!.source.last_seen).toBe(T0.toString());
  });

  it('ten concurrent claims of one pending job: one winner, nine invalid transitions; every check-in of twenty lands', async () => {
    const { cluster, jobs } = setup();
    await jobs.insert(syncJob('j1', CONNECTOR));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, n) => appliedJob(jobs, 'j1', claimSyncJobPlan({ workerHostname: `w-${n}` }, T1))),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(9);
    for (const l of lost) expect(l.reason).toBeInstanceOf(InvalidTransitionError);
    const winner = (won[0] as PromiseFulfilledResult<SyncJob | null>).value!;
    expect((await jobs.get('j1'))!.workerHostname).toBe(winner.workerHostname);
    // the losers were refused by the compare-and-set: 409s were answered
    expect(cluster.requests.filter((r) => r.path === `/${JOBS}/_update/j1`).length).toBeGreaterThan(1);

    const stamps = Array.from({ length: 20 }, (_, n) => Instant.ofEpochMicros(T2.epochMicros + n));
    const checkIns = await Promise.allSettled(stamps.map((at) => appliedJob(jobs, 'j1', checkInSyncJobPlan(at))));
    expect(checkIns.every((o) => o.status === 'fulfilled')).toBe(true);
    const lastSeen = decodeSyncJobDocument('j1', cluster.docs(JOBS).get('j1')!.source as JsonObject).lastSeen!;
    expect(stamps.some((s) => s.epochMicros === lastSeen.epochMicros)).toBe(true);
  });
});

describe('elasticsearch adapter: list', () => {
  it('filters: one _search with bool.filter, sort created_at desc, the page and one job past it, track_total_hits', async () => {
    const { cluster, jobs } = setup();
    await jobs.insert(syncJob('a', CONNECTOR, { createdAt: T0, jobType: 'full' }));
    await jobs.insert(syncJob('b', CONNECTOR, { createdAt: T1, jobType: 'incremental' }));
    await jobs.insert(syncJob('c', CONNECTOR, { createdAt: T2, jobType: 'access_control' }));
    await jobs.insert(syncJob('d', { ...CONNECTOR, id: 'conn-2' }, { createdAt: T2, jobType: 'full' }));
    const before = cluster.requests.length;
    const r = await jobs.list({ from: 0, size: 10, connectorId: 'conn-1', status: 'pending', jobTypes: ['full', 'incremental'] });
    expect(sent(cluster, before)).toEqual([
      [
        'POST',
        `/${JOBS}/_search`,
        {},
        {
          from: 0,
          size: 11,
          query: {
            bool: {
              filter: [
                { term: { 'connector.id': 'conn-1' } },
                { term: { status: 'pending' } },
                { terms: { job_type: ['full', 'incremental'] } },
              ],
            },
          },
          sort: [{ created_at: { order: 'desc', unmapped_type: 'date' } }],
        },
      ],
    ]);
    expect(r).toEqual({ count: 2, results: [syncJob('b', CONNECTOR, { createdAt: T1, jobType: 'incremental' }), syncJob('a', CONNECTOR, { createdAt: T0, jobType: 'full' })] });
  });

  it('no filter: match_all; count is every match, results the page, newest created_at first', async () => {
    const { cluster, jobs } = setup();
    await jobs.insert(syncJob('a', CONNECTOR, { createdAt: T0 }));
    await jobs.insert(syncJob('c', CONNECTOR, { createdAt: T2 }));
    await jobs.insert(syncJob('b', CONNECTOR, { createdAt: T1 }));
    const before = cluster.requests.length;
    const r = await jobs.list({ from: 1, size: 1, jobTypes: [] });
    expect(cluster.requests.slice(before)).toHaveLength(1);
    expect(cluster.requests[before]!.body).toEqual({
      from: 0, // one before the page
      size: 3, // and one after it
      query: { match_all: {} },
      sort: [{ created_at: { order: 'desc', unmapped_type: 'date' } }],
    });
    expect(r).toEqual({ count: 3, results: [syncJob('b', CONNECTOR, { createdAt: T1 })] });
    expect((await jobs.list({ from: 0, size: 100 })).results.map((j) => j.id)).toEqual(['c', 'b', 'a']);
    expect(await jobs.list({ from: 0, size: 0 })).toEqual({ count: 3, results: [] });
  });

  it("count is upstream's: exact up to 10,000, then 10,000 (no track_total_hits: Elasticsearch's default)", async () => {
    const { cluster, jobs } = setup();
    await jobs.insert(syncJob('first', CONNECTOR, { createdAt: T0 }));
    const doc = cluster.docs(JOBS).get('first')!.source;
    for (let i = 0; i < 10_000; i++) cluster.seed(JOBS, `bulk-${i}`, doc);
    expect((await jobs.list({ from: 0, size: 1 })).count).toBe(10_000);
    expect((await jobs.list({ from: 0, size: 1, status: 'pending' })).count).toBe(10_000);
    expect((await jobs.list({ from: 0, size: 1, status: 'completed' })).count).toBe(0);
  });

  it('jobs of one millisecond (one sort value in Elasticsearch) come newest microsecond first, then by id, within a page', async () => {
    const { cluster, jobs } = setup();
    // Elasticsearch gives these in index order: insert them out of order
    for (const [id, at] of [['m-b', T1], ['m-c', T1], ['m-x', T1.plusMicros(5)], ['m-a', T1], ['old', T0], ['new', T2]] as const) {
      await jobs.insert(syncJob(id, CONNECTOR, { createdAt: at }));
    }
    const before = cluster.requests.length;
    expect((await jobs.list({ from: 0, size: 10 })).results.map((j) => j.id)).toEqual(['new', 'm-x', 'm-a', 'm-b', 'm-c', 'old']);
    expect(cluster.requests.slice(before)).toHaveLength(1); // the page held whole milliseconds
  });

  it('a page that cuts a millisecond: the whole span is fetched and counted, the page cut from its exact order', async () => {
    const { cluster, jobs } = setup();
    for (const [id, at] of [['m-b', T1], ['m-c', T1], ['m-x', T1.plusMicros(5)], ['m-a', T1], ['old', T0], ['new', T2]] as const) {
      await jobs.insert(syncJob(id, CONNECTOR, { createdAt: at }));
    }
    const exact = ['new', 'm-x', 'm-a', 'm-b', 'm-c', 'old'];
    for (const [from, size] of [[0, 1], [0, 2], [1, 1], [1, 2], [2, 1], [2, 2], [3, 2], [4, 1], [4, 2], [5, 1], [6, 1], [0, 6]] as const) {
      const page = await jobs.list({ from, size });
      expect({ from, size, ids: page.results.map((j) => j.id) }).toEqual({ from, size, ids: exact.slice(from, from + size) });
      expect(page.count).toBe(6);
    }
    const t1 = T1.epochMillis;
    const before = cluster.requests.length;
    await jobs.list({ from: 2, size: 2, connectorId: 'conn-1' });
    const term = { term: { 'connector.id': 'conn-1' } };
    const sort = [{ created_at: { order: 'desc', unmapped_type: 'date' } }];
    expect(cluster.requests.slice(before).map((r) => [r.path, r.body])).toEqual([
      [`/${JOBS}/_search`, { from: 1, size: 4, query: { bool: { filter: [term] } }, sort }],
      [
        `/${JOBS}/_search`,
        {
          size: 10_000,
          query: { bool: { filter: [term, { range: { created_at: { gte: t1, lte: t1, format: 'epoch_millis' } } }] } },
          sort,
          track_total_hits: true,
        },
      ],
      [
        `/${JOBS}/_search`,
        { size: 0, query: { bool: { filter: [term, { range: { created_at: { gt: t1, format: 'epoch_millis' } } }] } }, track_total_hits: true },
      ],
    ]);
  });

  it('a missing jobs index is an empty list (upstream); other failures are typed', async () => {
    const { cluster, jobs } = setup();
    expect(await jobs.list({ from: 0, size: 10 })).toEqual({ count: 0, results: [] });
    await jobs.insert(syncJob('a', CONNECTOR));
    cluster.failNext((r) => r.path === `/${JOBS}/_search`, () => esError(503, 'search_phase_execution_exception', 'all shards failed'));
    await expect(jobs.list({ from: 0, size: 10 })).rejects.toMatchObject({ code: 'storage_unavailable', retryable: true });
  });

  it('sees an update at once (the _update refreshes)', async () => {
    const { jobs } = setup();
    await jobs.insert(syncJob('a', CONNECTOR));
    await appliedJob(jobs, 'a', claimSyncJobPlan({ workerHostname: 'w' }, T1));
    expect((await jobs.list({ from: 0, size: 10, status: 'in_progress' })).results.map((j) => j.id)).toEqual(['a']);
    expect((await jobs.list({ from: 0, size: 10, status: 'pending' })).count).toBe(0);
  });
});

describe('elasticsearch adapter: delete', () => {
  function withUseCase(settings: ConstructorParameters<typeof ElasticsearchSyncJobStore>[1] = {}) {
    const s = setup({ claimWaitMs: 50, staleClaimMs: 3_600_000, ...settings });
    s.cluster.seed(CONNECTORS, CONNECTOR.id, { index_name: 'search-conn-1', service_type: 'super-connector', language: 'en' });
    const create = new CreateSyncJob(s.connectors, s.jobs, fixedClock(T0), sequentialIds('job'), { oneActiveJobPerClass: true });
    return { ...s, create };
  }

  it('exact requests: GET, free the lock (search + CAS delete), release the claim (search + CAS mark), DELETE with refresh', async () => {
    const { cluster, jobs, create } = withUseCase({ now: () => Date.parse('2026-11-29T11:00:00.000Z') });
    const created = await create.execute({ id: CONNECTOR.id }, { idempotencyKey: 'key-1' });
    const lockId = activeLockDocId(CONNECTOR.id, 'content');
    const claimId = idempotencyDocId('key-1');
    // claim and lock are written with refresh, so the search on job_id below sees them
    expect(cluster.requests.filter((r) => r.method === 'PUT' && r.path.includes('/_create/')).map((r) => [r.path, r.querystring])).toEqual([
      [`/${IDEMPOTENCY}/_create/${claimId}`, { refresh: 'true' }],
      [`/${LOCKS}/_create/${lockId}`, { refresh: 'true' }],
      [`/${JOBS}/_create/${created.id}`, { refresh: 'true' }],
    ]);
    const lockSeq = seqOf(cluster, LOCKS, lockId);
    const claim = cluster.docs(IDEMPOTENCY).get(claimId)!;
    const jobSeq = seqOf(cluster, JOBS, created.id);
    const before = cluster.requests.length;
    expect(await jobs.delete(created.id)).toBe(true);
    const search = (jobId: string) => ({ size: 100, query: { bool: { filter: [{ term: { job_id: jobId } }] } }, seq_no_primary_term: true });
    expect(sent(cluster, before)).toEqual([
      ['GET', `/${JOBS}/_doc/${created.id}`, {}, null],
      ['POST', `/${LOCKS}/_search`, {}, search(created.id)],
      ['DELETE', `/${LOCKS}/_doc/${lockId}`, { if_seq_no: lockSeq, if_primary_term: '1' }, null],
      ['POST', `/${IDEMPOTENCY}/_search`, {}, search(created.id)],
      [
        'PUT',
        `/${IDEMPOTENCY}/_doc/${claimId}`,
        { if_seq_no: String(claim.seqNo), if_primary_term: '1' },
        { ...claim.source, released_at: '2026-11-29T11:00:00.000Z' },
      ],
      // guarded by the job's sequence number: a claim or an end in between is read again first
      ['DELETE', `/${JOBS}/_doc/${created.id}`, { if_seq_no: jobSeq, if_primary_term: '1', refresh: 'true' }, null],
    ]);
    expect(cluster.docs(JOBS).has(created.id)).toBe(false);
    expect(cluster.docs(LOCKS).has(lockId)).toBe(false);
    expect(await jobs.get(created.id)).toBeNull();
    expect(await jobs.findIdempotencyKey('key-1')).toBeNull();
    expect((await jobs.list({ from: 0, size: 10 })).count).toBe(0);
  });

  it('frees the idempotency key at once: the same key (any request) gives a new job, not a wait for staleClaimMs', async () => {
    // a wait for the claim would take claimWaitMs (30 s): the answer within 5 s shows there was none
    const { cluster, jobs, create } = withUseCase({ claimWaitMs: 30_000 });
    const first = await create.execute({ id: CONNECTOR.id }, { idempotencyKey: 'key-1' });
    expect((await create.execute({ id: CONNECTOR.id }, { idempotencyKey: 'key-1' })).id).toBe(first.id); // replay
    await jobs.delete(first.id);
    const started = performance.now();
    const second = await create.execute({ id: CONNECTOR.id }, { idempotencyKey: 'key-1' });
    expect(performance.now() - started).toBeLessThan(5_000); // no claimWaitMs wait
    expect(second.id).not.toBe(first.id);
    expect(await jobs.findIdempotencyKey('key-1')).toMatchObject({ jobId: second.id });
    // and the key is bound again: a replay gives the new job
    expect((await create.execute({ id: CONNECTOR.id }, { idempotencyKey: 'key-1' })).id).toBe(second.id);
    // a key freed by delete is free for another request as well
    await jobs.delete(second.id);
    const third = await create.execute({ id: CONNECTOR.id, job_type: 'incremental' }, { idempotencyKey: 'key-1' });
    expect(third.jobType).toBe('incremental');
    expect(cluster.docs(JOBS).size).toBe(1);
  });

  it('frees the active-job lock at once: a new job of the class is created while the deleted one was pending', async () => {
    const { jobs, create } = withUseCase();
    const first = await create.execute({ id: CONNECTOR.id });
    await expect(create.execute({ id: CONNECTOR.id })).rejects.toBeInstanceOf(ConflictError);
    await jobs.delete(first.id);
    const second = await create.execute({ id: CONNECTOR.id });
    expect(second.id).not.toBe(first.id);
    // and the new job holds the lock
    await expect(create.execute({ id: CONNECTOR.id, job_type: 'incremental' })).rejects.toMatchObject({
      kind: 'active_job_exists',
      activeJobId: second.id,
    });
  });

  it('a lock or claim taken over by another job is left alone', async () => {
    const { cluster, jobs, create } = withUseCase();
    const first = await create.execute({ id: CONNECTOR.id });
    await appliedJob(jobs, first.id, cancelSyncJobPlan(T1)); // terminal: its lock may be taken over
    const second = await create.execute({ id: CONNECTOR.id });
    const lockId = activeLockDocId(CONNECTOR.id, 'content');
    expect(cluster.docs(LOCKS).get(lockId)!.source.job_id).toBe(second.id);
    expect(await jobs.delete(first.id)).toBe(true);
    expect(cluster.docs(LOCKS).get(lockId)!.source.job_id).toBe(second.id);
    await expect(create.execute({ id: CONNECTOR.id })).rejects.toMatchObject({ kind: 'active_job_exists', activeJobId: second.id });
  });

  it('missing job or index -> false, and nothing else is touched', async () => {
    const { cluster, jobs } = setup();
    expect(await jobs.delete('nope')).toBe(false);
    await jobs.insert(syncJob('j1', CONNECTOR));
    expect(await jobs.delete('nope')).toBe(false);
    expect(cluster.requests.filter((r) => r.method !== 'GET' && r.method !== 'PUT')).toEqual([]);
    expect(await jobs.delete('j1')).toBe(true);
    expect(await jobs.delete('j1')).toBe(false);
  });

  it('a failure before the job is deleted leaves the job and its key bound (retryable); a retry completes', async () => {
    const { cluster, jobs, create } = withUseCase();
    const first = await create.execute({ id: CONNECTOR.id }, { idempotencyKey: 'key-1' });
    cluster.failNext((r) => r.method === 'DELETE' && r.path === `/${JOBS}/_doc/${first.id}`, () => esError(503, 'unavailable_shards_exception', 'primary shard is not active'));
    await expect(jobs.delete(first.id)).rejects.toMatchObject({ code: 'storage_unavailable', retryable: true });
    // the claim is released but its job exists: the key still replays it
    expect((await create.execute({ id: CONNECTOR.id }, { idempotencyKey: 'key-1' })).id).toBe(first.id);
    // the lock is gone, but the search after every lock still sees the active job
    await expect(create.execute({ id: CONNECTOR.id })).rejects.toMatchObject({ kind: 'active_job_exists', activeJobId: first.id });
    expect(await jobs.delete(first.id)).toBe(true);
    expect((await create.execute({ id: CONNECTOR.id }, { idempotencyKey: 'key-1' })).id).not.toBe(first.id);
  });
});

describe('elasticsearch adapter: a stored document that does not decode', () => {
  it('is a typed, non-retryable corrupt_sync_job naming job and field in get, update and list; delete still removes it', async () => {
    const { cluster, jobs } = setup();
    await jobs.insert(syncJob('good', CONNECTOR));
    cluster.seed(JOBS, 'bad', { ...encodeSyncJobDocument(syncJob('bad', CONNECTOR, { createdAt: T1 })), status: 'exploded' });
    const expected = { code: 'corrupt_sync_job', retryable: false, syncJobId: 'bad', field: 'status' };
    const viaGet = await jobs.get('bad').catch((e: unknown) => e);
    expect(viaGet).toBeInstanceOf(CorruptSyncJobError);
    expect(viaGet).toMatchObject(expected);
    const before = cluster.requests.length;
    await expect(appliedJob(jobs, 'bad', checkInSyncJobPlan(T2))).rejects.toMatchObject(expected);
    expect(cluster.requests.slice(before).map((r) => r.method)).toEqual(['GET']); // nothing written
    await expect(jobs.list({ from: 0, size: 10 })).rejects.toMatchObject(expected);
    expect(await jobs.delete('bad')).toBe(true);
    expect((await jobs.list({ from: 0, size: 10 })).results.map((j) => j.id)).toEqual(['good']);
  });
});
