/**
 * The store contract against a real Elasticsearch (8 or 9) when ELASTICSEARCH_URL is set:
 *   ELASTICSEARCH_URL=http://localhost:9200 npm run test:live
 * Optional auth: ELASTICSEARCH_API_KEY, or ELASTICSEARCH_USERNAME + ELASTICSEARCH_PASSWORD.
 * Every test gets its own uniquely named indices (no leading dot, so no hidden/system index
 * warnings); all of them are deleted by name after the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@elastic/elasticsearch';
import {
  ElasticsearchConnectorStore,
  ElasticsearchSyncJobStore,
  SYNC_JOBS_MAPPINGS,
} from '../../../../adapters/elasticsearch/index.js';
import type { ElasticsearchIndices } from '../../../../adapters/elasticsearch/index.js';
import {
  CreateSyncJob,
  Instant,
  InvalidTransitionError,
  checkInSyncJobPlan,
  claimSyncJobPlan,
  decodeConnectorDocument,
  updateSyncJobStatsPlan,
} from '../../../../src/internal.js';
import { appliedJob, describeStoreContract, expectedDocument, fixedClock, sequentialIds, vectors } from 'connector-sync-jobs/testing';

const url = process.env.ELASTICSEARCH_URL;
const live = url !== undefined && url !== '';

if (!live) {
  console.log(
    'Elasticsearch live suite SKIPPED: ELASTICSEARCH_URL is not set ' +
      '(run e.g. ELASTICSEARCH_URL=http://localhost:9200 npm run test:live).',
  );
}

const run = `csj-live-${Date.now().toString(36)}-${process.pid}`;
const created: string[] = [];
let n = 0;

function freshIndices(): ElasticsearchIndices {
  const p = `${run}-${++n}`;
  const i = { connectors: `${p}-connectors`, syncJobs: `${p}-sync-jobs`, idempotency: `${p}-idempotency`, activeJobLocks: `${p}-locks` };
  created.push(...Object.values(i));
  return i;
}

function liveClient(): Client {
  const apiKey = process.env.ELASTICSEARCH_API_KEY;
  const username = process.env.ELASTICSEARCH_USERNAME;
  const password = process.env.ELASTICSEARCH_PASSWORD ?? '';
  return new Client({
    node: url ?? 'http://localhost:9200',
    requestTimeout: 30_000,
    ...(apiKey ? { auth: { apiKey } } : username ? { auth: { username, password } } : {}),
  });
}

describe.skipIf(!live)('elasticsearch live', () => {
  const client = liveClient();

  beforeAll(async () => {
    // Fail fast and plainly when the URL is wrong, instead of one slow failure per test.
    const info = await client.info({}, { requestTimeout: 5_000, maxRetries: 0 }).catch((e: unknown) => {
      throw new Error(`Elasticsearch live suite: cannot reach ${url ?? ''}: ${(e as Error).message}`, { cause: e });
    });
    console.log(`Elasticsearch live suite on ${url ?? ''}: Elasticsearch ${info.version.number}, index prefix ${run}`);
  });

  afterAll(async () => {
    for (let i = 0; i < created.length; i += 20) {
      await client.indices.delete({ index: created.slice(i, i + 20), ignore_unavailable: true });
    }
    await client.close();
  });

  describeStoreContract(`elasticsearch (live, ${url ?? ''})`, async () => {
    const indices = freshIndices();
    const jobs = new ElasticsearchSyncJobStore(client, { indices });
    await jobs.ensureIndices();
    return {
      connectors: new ElasticsearchConnectorStore(client, { indices }),
      jobs,
      countJobs: async () => {
        await client.indices.refresh({ index: indices.syncJobs });
        return (await client.count({ index: indices.syncJobs })).count;
      },
      refusesOrphans: false,
    };
  });

  it('creates the jobs index with the spec section 2 mapping, and stores the golden document', async () => {
    const indices = freshIndices();
    const jobs = new ElasticsearchSyncJobStore(client, { indices });
    const connectors = new ElasticsearchConnectorStore(client, { indices });
    await jobs.ensureIndices();
    const mapping = await client.indices.getMapping({ index: indices.syncJobs });
    const m = mapping[indices.syncJobs]!.mappings;
    expect(String(m.dynamic)).toBe('false');
    expect(m.properties?.created_at).toEqual(SYNC_JOBS_MAPPINGS.properties.created_at);
    const now = Instant.parse('2026-11-29T10:11:12.345Z')!;
    for (const [id, doc] of Object.entries(vectors.connectors)) await connectors.upsert(decodeConnectorDocument(id, doc));
    const v = vectors.cases.find((c) => c.expect.document && c.request.id === 'rich')!;
    const job = await new CreateSyncJob(connectors, jobs, fixedClock(now), { next: () => `${run}-golden` }).execute(v.request);
    const raw = await client.get({ index: indices.syncJobs, id: job.id });
    expect(JSON.stringify(raw._source)).toBe(JSON.stringify(expectedDocument(v.expect.document!, now)));
    // ensureIndices again leaves everything alone
    await jobs.ensureIndices();
    expect((await client.count({ index: indices.syncJobs })).count).toBe(1);
  });

  it('lifecycle on a real cluster: racing claims (one winner), check-ins, stats with microseconds, list, delete frees key and lock', async () => {
    const indices = freshIndices();
    const jobs = new ElasticsearchSyncJobStore(client, { indices, claimWaitMs: 200, staleClaimMs: 3_600_000 });
    const connectors = new ElasticsearchConnectorStore(client, { indices });
    await jobs.ensureIndices();
    await connectors.upsert(decodeConnectorDocument('plain', vectors.connectors.plain));
    const now = Instant.parse('2026-11-29T10:11:12.345Z')!;
    const create = new CreateSyncJob(connectors, jobs, fixedClock(now), sequentialIds(`${run}-life`), { oneActiveJobPerClass: true });
    const job = await create.execute({ id: 'plain' }, { idempotencyKey: `${run}-key` });

    const at = Instant.parse('2026-11-29T10:20:00.123456Z')!;
    const claims = await Promise.allSettled(
      Array.from({ length: 10 }, (_, w) => appliedJob(jobs, job.id, claimSyncJobPlan({ workerHostname: `w-${w}`, syncCursor: { w } }, at))),
    );
    expect(claims.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
    for (const c of claims) if (c.status === 'rejected') expect(c.reason).toBeInstanceOf(InvalidTransitionError);
    const checkIns = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => appliedJob(jobs, job.id, checkInSyncJobPlan(at.plusMicros(i)))));
    expect(checkIns.every((c) => c.status === 'fulfilled')).toBe(true);
    const lastSeen = Instant.parse('2023-12-04T08:45:50.567149Z')!;
    const stats = await appliedJob(jobs, job.id, updateSyncJobStatsPlan({ deletedDocumentCount: 1, indexedDocumentCount: 3_000_000_000, indexedDocumentVolume: 3, lastSeen, metadata: { a: { b: 1 } } }, at));
    expect(stats!.lastSeen!.toString()).toBe('2023-12-04T08:45:50.567149Z');
    expect(await jobs.get(job.id)).toEqual(stats);
    const raw = await client.get<Record<string, unknown>>({ index: indices.syncJobs, id: job.id });
    expect(raw._source!.last_seen).toBe('2023-12-04T08:45:50.567149Z');
    expect(raw._source!.status).toBe('in_progress');

    const listed = await jobs.list({ from: 0, size: 10, connectorId: 'plain', status: 'in_progress', jobTypes: ['full'] });
    expect(listed).toEqual({ count: 1, results: [stats] });
    expect(await jobs.list({ from: 0, size: 10, status: 'pending' })).toEqual({ count: 0, results: [] });

    // the lock blocks while the job is active; delete frees it and the key at once
    await expect(create.execute({ id: 'plain' })).rejects.toMatchObject({ kind: 'active_job_exists' });
    expect(await jobs.delete(job.id)).toBe(true);
    expect(await jobs.delete(job.id)).toBe(false);
    expect(await jobs.get(job.id)).toBeNull();
    const again = await create.execute({ id: 'plain' }, { idempotencyKey: `${run}-key` });
    expect(again.id).not.toBe(job.id);
    expect(await jobs.findIdempotencyKey(`${run}-key`)).toMatchObject({ jobId: again.id });
  });
});
