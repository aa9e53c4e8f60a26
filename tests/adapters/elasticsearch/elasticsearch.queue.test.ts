import { expect, it } from 'vitest';
import { ElasticsearchConnectorStore, ElasticsearchSyncJobQueue, ElasticsearchSyncJobStore } from '../../../adapters/elasticsearch/index.js';
import { Instant, claimSyncJobPlan } from '../../../src/internal.js';
import { connector, describeQueueContract, syncJob } from 'connector-sync-jobs/testing';
import { CONNECTORS, JOBS, MockCluster, esError, mockStores } from './mock-cluster.js';

const indices = { connectors: CONNECTORS, syncJobs: JOBS };

describeQueueContract('elasticsearch (elasticsearch-mock)', async () => {
  const { cluster, client, connectors, jobs } = await mockStores();
  return {
    connectors,
    jobs,
    queue: new ElasticsearchSyncJobQueue(client, connectors, { indices, pollMinMs: 20, pollMaxMs: 200 }),
    polls: true,
    removeConnector: async (id) => {
      cluster.docs(CONNECTORS).delete(id);
      cluster.seed(CONNECTORS, '__refresh__', {});
      cluster.docs(CONNECTORS).delete('__refresh__');
    },
  };
});

it('elasticsearch: claim-next is a search for the oldest candidates, then _update with if_seq_no/if_primary_term; a conflict moves to the next', async () => {
  const cluster = new MockCluster();
  const client = cluster.client();
  const connectors = new ElasticsearchConnectorStore(client, { indices });
  const jobs = new ElasticsearchSyncJobStore(client, { indices });
  await jobs.ensureIndices();
  const c = connector('c1');
  await connectors.upsert(c);
  const t = Instant.parse('2026-11-29T10:00:00Z')!;
  await jobs.insert(syncJob('old', c, { createdAt: t }));
  await jobs.insert(syncJob('new', c, { createdAt: t.plusMicros(1000) }));
  // another writer touches `old` between our search and our update: our CAS loses, we take `new`
  const queue = new ElasticsearchSyncJobQueue(client, connectors, { indices });
  cluster.failNext(
    (r) => r.method === 'POST' && r.path === `/${JOBS}/_update/old`,
    () => esError(409, 'version_conflict_engine_exception', '[old]: version conflict, required seqNo [1], primary term [1]'),
    1,
  );
  cluster.requests.length = 0;
  const got = await queue.claimNext({ jobTypes: ['full'] }, claimSyncJobPlan({ workerHostname: 'w' }, t.plusMicros(5_000_000)));
  expect(got!.id).toBe('new');
  expect((await jobs.get('old'))!.status).toBe('pending');
  const search = cluster.requests.find((r) => r.path === `/${JOBS}/_search`)!;
  expect(search.body).toEqual({
    size: 10,
    seq_no_primary_term: true,
    query: { bool: { filter: [{ term: { status: 'pending' } }, { terms: { job_type: ['full'] } }] } },
    sort: [{ created_at: { order: 'asc', unmapped_type: 'date' } }],
  });
  const updates = cluster.requests.filter((r) => r.path.startsWith(`/${JOBS}/_update/`));
  expect(updates.map((r) => r.path)).toEqual([`/${JOBS}/_update/old`, `/${JOBS}/_update/new`]);
  const update = updates[1]!;
  expect(update.querystring).toMatchObject({ if_seq_no: expect.any(String), if_primary_term: '1', refresh: 'true' });
  expect(update.body).toEqual({
    doc: { last_seen: '2026-11-29T10:00:05.000Z', started_at: '2026-11-29T10:00:05.000Z', status: 'in_progress', worker_hostname: 'w' },
  });
});
