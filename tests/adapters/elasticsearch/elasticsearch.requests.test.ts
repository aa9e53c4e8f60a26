/**
 * What the adapter sends to Elasticsearch and what it stores, checked request by request on the
 * official transport mock: paths, `_create`, `refresh=true`, golden documents (spec section 2,
 * src/testing/vectors.data.ts), mappings, explicit timeouts, and the module wiring.
 */
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_JOB_LOCKS_MAPPINGS,
  CONNECTORS_MAPPINGS,
  ElasticsearchConnectorStore,
  ElasticsearchSyncJobStore,
  IDEMPOTENCY_MAPPINGS,
  SYNC_JOBS_MAPPINGS,
  activeLockDocId,
  elasticsearchModule,
  idempotencyDocId,
} from '../../../adapters/elasticsearch/index.js';
import {
  ConnectorNotFoundError,
  CreateSyncJob,
  Instant,
  TOKENS,
  closeContainer,
  createContainer,
  decodeConnectorDocument,
  decodeSyncJobDocument,
  encodeConnectorDocument,
  initializeContainer,
} from '../../../src/index.js';
import type { Closeable, ConnectorStore, SyncJobStore } from '../../../src/index.js';
import { expectedDocument, fixedClock, sequentialIds, vectorConnectors, vectors } from 'connector-sync-jobs/testing';
import { CONNECTORS, IDEMPOTENCY, JOBS, LOCKS, MockCluster, esError } from './mock-cluster.js';
import type { RecordedRequest } from './mock-cluster.js';

const NOW = Instant.parse('2026-11-29T10:11:12.345Z')!;

function setup(settings: ConstructorParameters<typeof ElasticsearchSyncJobStore>[1] = {}) {
  const cluster = new MockCluster();
  const client = cluster.client();
  const connectors = new ElasticsearchConnectorStore(client, settings);
  const jobs = new ElasticsearchSyncJobStore(client, settings);
  const create = new CreateSyncJob(connectors, jobs, fixedClock(NOW), sequentialIds('job'));
  return { cluster, client, connectors, jobs, create };
}

/** Seeds connector documents exactly as Elasticsearch stores them (spec section 3). */
function seedVectorConnectors(cluster: MockCluster): void {
  for (const [id, doc] of Object.entries(vectors.connectors)) cluster.seed(CONNECTORS, id, doc);
}

const writesTo = (index: string) => (r: RecordedRequest) =>
  r.method === 'PUT' && r.path.startsWith(`/${index}/`);

describe('elasticsearch adapter: requests and stored documents', () => {
  describe('golden documents (spec vectors)', () => {
    for (const v of vectors.cases.filter((c) => c.expect.document)) {
      it(`${v.name}: one PUT /${JOBS}/_create/<id>?refresh=true with the spec section 2 document`, async () => {
        const { cluster, create } = setup();
        seedVectorConnectors(cluster);
        const job = await create.execute(v.request);
        const golden = expectedDocument(v.expect.document!, NOW);
        const writes = cluster.requests.filter(writesTo(JOBS));
        expect(writes).toHaveLength(1);
        const w = writes[0]!;
        expect(w.path).toBe(`/${JOBS}/_create/${job.id}`);
        expect(w.querystring).toEqual({ refresh: 'true' });
        expect(JSON.stringify(w.body)).toBe(JSON.stringify(golden));
        expect(w.body).not.toHaveProperty('id');
        // what the cluster holds, and what a read returns
        expect(JSON.stringify(cluster.docs(JOBS).get(job.id)!.source)).toBe(JSON.stringify(golden));
        expect(decodeSyncJobDocument(job.id, golden)).toEqual(job);
        // the connector was read from the connectors index by id
        expect(cluster.requests[0]).toMatchObject({ method: 'GET', path: `/${CONNECTORS}/_doc/${v.request.id as string}` });
      });
    }
  });

  it('reads connector documents as Elasticsearch stores them (filtering array, deleted flag)', async () => {
    const { cluster, connectors, create } = setup();
    seedVectorConnectors(cluster);
    for (const [id, doc] of Object.entries(vectors.connectors)) {
      expect(await connectors.findById(id)).toEqual(decodeConnectorDocument(id, doc));
    }
    const rich = (await connectors.findById('rich'))!;
    expect(rich.filtering).toHaveLength(2);
    expect(rich.filtering![0]!.active!.rules[0]!.id).toBe('RULE-ACTIVE-SYNC-JOB-TEST');
    expect((await connectors.findById('soft-deleted'))!.deleted).toBe(true);
    const err = await create.execute({ id: 'soft-deleted' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorNotFoundError);
    expect(cluster.requests.filter(writesTo(JOBS))).toHaveLength(0);
  });

  it('upsert: PUT /.elastic-connectors/_doc/<id>?op_type=index&refresh=true, created then updated', async () => {
    const { cluster, connectors } = setup();
    const rich = vectorConnectors().find((c) => c.id === 'rich')!;
    expect(await connectors.upsert(rich)).toBe('created');
    expect(await connectors.upsert({ ...rich, language: 'fr' })).toBe('updated');
    const puts = cluster.requests.filter(writesTo(CONNECTORS));
    expect(puts.map((p) => [p.path, p.querystring])).toEqual([
      [`/${CONNECTORS}/_doc/rich`, { op_type: 'index', refresh: 'true' }],
      [`/${CONNECTORS}/_doc/rich`, { op_type: 'index', refresh: 'true' }],
    ]);
    expect(JSON.stringify(puts[0]!.body)).toBe(JSON.stringify(encodeConnectorDocument(rich)));
    expect(puts[0]!.body).not.toHaveProperty('id');
  });

  it('idempotency: a claim document created with _create at sha256(key), then the job', async () => {
    const { cluster, create, jobs } = setup();
    seedVectorConnectors(cluster);
    const job = await create.execute({ id: 'plain' }, { idempotencyKey: 'key-1' });
    const claimId = idempotencyDocId('key-1');
    expect(claimId).toMatch(/^[0-9a-f]{64}$/);
    const puts = cluster.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((p) => p.path)).toEqual([`/${IDEMPOTENCY}/_create/${claimId}`, `/${JOBS}/_create/${job.id}`]);
    expect(puts[0]!.body).toMatchObject({ key: 'key-1', job_id: job.id, fingerprint: '["plain","full","on_demand"]' });
    expect(await jobs.findIdempotencyKey('key-1')).toEqual({ fingerprint: '["plain","full","on_demand"]', jobId: job.id });
    // replay: no new write
    const again = await create.execute({ id: 'plain' }, { idempotencyKey: 'key-1' });
    expect(again.id).toBe(job.id);
    expect(cluster.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
  });

  it('one active job per class: a lock document per (connector, class) created with _create before the job', async () => {
    const { cluster, jobs, connectors } = setup();
    seedVectorConnectors(cluster);
    const create = new CreateSyncJob(connectors, jobs, fixedClock(NOW), { next: () => 'lock-job' }, { oneActiveJobPerClass: true });
    await create.execute({ id: 'plain', job_type: 'incremental' });
    const puts = cluster.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((p) => p.path)).toEqual([
      `/${LOCKS}/_create/${activeLockDocId('plain', 'content')}`,
      `/${JOBS}/_create/lock-job`,
    ]);
    expect(puts[0]!.body).toMatchObject({ connector_id: 'plain', job_class: 'content', job_id: 'lock-job' });
    const searches = cluster.requests.filter((r) => r.path === `/${JOBS}/_search`);
    expect(searches).toHaveLength(1);
    expect(searches[0]!.body).toEqual({
      size: 1,
      query: {
        bool: {
          filter: [
            { term: { 'connector.id': 'plain' } },
            { terms: { job_type: ['full', 'incremental'] } },
            { terms: { status: ['pending', 'in_progress', 'canceling', 'suspended'] } },
          ],
          must_not: [{ ids: { values: ['lock-job'] } }],
        },
      },
      sort: [{ created_at: { order: 'asc', unmapped_type: 'date' } }],
      _source: false,
    });
    // the search runs after the lock is held and before the job is written
    const order = cluster.requests.map((r) => r.path);
    expect(order.indexOf(`/${JOBS}/_search`)).toBeGreaterThan(order.indexOf(puts[0]!.path));
    expect(order.indexOf(`/${JOBS}/_search`)).toBeLessThan(order.indexOf(puts[1]!.path));
  });

  it('passes an explicit requestTimeout on every request, and never lets the transport retry a write', async () => {
    const cluster = new MockCluster();
    const seen: Array<{ path: string; timeout: unknown }> = [];
    const Base = cluster.mock.getConnection() as unknown as new (...a: unknown[]) => {
      request(p: { path: string }, o: { timeout?: unknown }): Promise<unknown>;
    };
    class Spy extends Base {
      override request(p: { path: string }, o: { timeout?: unknown }) {
        seen.push({ path: p.path, timeout: o.timeout });
        return super.request(p, o);
      }
    }
    const { Client } = await import('@elastic/elasticsearch');
    const client = new Client({ node: 'http://localhost:9200', Connection: Spy as never });
    const jobs = new ElasticsearchSyncJobStore(client, { requestTimeout: 1234 });
    const connectors = new ElasticsearchConnectorStore(client, { requestTimeout: 1234 });
    await jobs.ensureIndices();
    seedVectorConnectors(cluster);
    await new CreateSyncJob(connectors, jobs, fixedClock(NOW), { next: () => 't-1' }).execute({ id: 'plain' });
    expect(seen.length).toBeGreaterThan(5);
    for (const s of seen) expect(s.timeout).toBe(1234);
    cluster.failNext(writesTo(JOBS), () => esError503(), 5);
    await expect(new CreateSyncJob(connectors, jobs, fixedClock(NOW), { next: () => 't-2' }).execute({ id: 'plain' }))
      .rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(cluster.requests.filter((r) => r.path === `/${JOBS}/_create/t-2`)).toHaveLength(1);
  });

  describe('ensureIndices', () => {
    it('creates each missing index with its mapping (dynamic false, the spec section 2 field types)', async () => {
      const { cluster, jobs } = setup();
      await jobs.ensureIndices();
      const creates = cluster.requests.filter((r) => r.method === 'PUT');
      expect(creates.map((c) => c.path)).toEqual([`/${CONNECTORS}`, `/${JOBS}`, `/${IDEMPOTENCY}`, `/${LOCKS}`]);
      expect(creates.map((c) => (c.body as { mappings: unknown }).mappings)).toEqual([
        CONNECTORS_MAPPINGS,
        SYNC_JOBS_MAPPINGS,
        IDEMPOTENCY_MAPPINGS,
        ACTIVE_JOB_LOCKS_MAPPINGS,
      ]);
      const m = (creates[1]!.body as { mappings: typeof SYNC_JOBS_MAPPINGS }).mappings;
      expect(m.dynamic).toBe(false);
      const props = m.properties as unknown as Record<string, { type?: string; properties?: Record<string, { type: string }> }>;
      for (const f of ['cancelation_requested_at', 'canceled_at', 'completed_at', 'created_at', 'last_seen', 'started_at']) {
        expect(props[f]!.type).toBe('date');
      }
      for (const f of ['error', 'job_type', 'status', 'trigger_method', 'worker_hostname']) expect(props[f]!.type).toBe('keyword');
      expect(props.metadata!.type).toBe('object');
      const c = props.connector!.properties!;
      for (const f of ['id', 'index_name', 'language', 'service_type']) expect(c[f]!.type).toBe('keyword');
      for (const f of ['configuration', 'sync_cursor']) expect(c[f]!.type).toBe('object');
    });

    it('leaves existing indices alone, and a concurrent creator (resource_already_exists_exception) is fine', async () => {
      const { cluster, jobs } = setup();
      await jobs.ensureIndices();
      cluster.indices.get(JOBS)!.mappings = 'theirs';
      const before = cluster.requests.length;
      await jobs.ensureIndices();
      expect(cluster.requests.slice(before).every((r) => r.method === 'HEAD')).toBe(true);
      expect(cluster.indices.get(JOBS)!.mappings).toBe('theirs');
      // HEAD says missing, PUT finds it created meanwhile
      const racing = setup();
      racing.cluster.failNext((r) => r.method === 'PUT' && r.path === `/${JOBS}`, () => alreadyExists());
      await expect(racing.jobs.ensureIndices()).resolves.toBeUndefined();
    });

    it('uses the configured index names', async () => {
      const indices = { connectors: 'c-x', syncJobs: 'j-x', idempotency: 'i-x', activeJobLocks: 'l-x' };
      const { cluster, jobs, connectors } = setup({ indices });
      await jobs.ensureIndices();
      expect([...cluster.indices.keys()]).toEqual(['c-x', 'j-x', 'i-x', 'l-x']);
      await connectors.upsert(vectorConnectors()[0]!);
      expect(cluster.docs('c-x').size).toBe(1);
    });
  });

  describe('elasticsearchModule', () => {
    it('with the host client: binds the stores and the initializer, no Closeable', async () => {
      const cluster = new MockCluster();
      const container = createContainer(elasticsearchModule({ client: cluster.client() }));
      expect(container.isBound(TOKENS.Closeable)).toBe(false);
      await initializeContainer(container);
      expect(cluster.indices.has(JOBS)).toBe(true);
      const store = container.get<ConnectorStore>(TOKENS.ConnectorStore);
      expect(container.get(TOKENS.ConnectorLookup)).toBe(store);
      await store.upsert(vectorConnectors()[0]!);
      const job = await container.get<CreateSyncJob>(TOKENS.CreateSyncJob).execute({ id: 'plain' });
      expect(await container.get<SyncJobStore>(TOKENS.SyncJobStore).get(job.id)).toEqual(job);
      await closeContainer(container);
    });

    it('with a node URL: owns its client and binds it as Closeable', async () => {
      const container = createContainer(elasticsearchModule({ node: 'http://127.0.0.1:9', requestTimeout: 50 }));
      const closeables = container.getAll<Closeable>(TOKENS.Closeable);
      expect(closeables).toHaveLength(1);
      await closeContainer(container);
    });

    it('without node or client: a plain error at load', () => {
      expect(() => createContainer(elasticsearchModule({ node: undefined }))).toThrow(/node/);
    });
  });
});

const esError503 = () => esError(503, 'unavailable_shards_exception', 'primary shard is not active');
const alreadyExists = () => esError(400, 'resource_already_exists_exception', `index [${JOBS}/x] already exists`);

describe('elasticsearch adapter: connector delete', () => {
  const short = (r: RecordedRequest) => `${r.method} ${r.path} ${JSON.stringify(r.querystring)} ${JSON.stringify(r.body)}`;

  it('soft: a compare-and-set replace with deleted: true, nothing else', async () => {
    const { cluster, connectors } = setup();
    cluster.seed(CONNECTORS, 'c1', { index_name: 'search-c1', service_type: 'x', deleted: false });
    cluster.requests.length = 0;
    await connectors.delete('c1');
    expect(cluster.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /${CONNECTORS}/_doc/c1`, `PUT /${CONNECTORS}/_doc/c1`]);
    expect(cluster.requests[1]!.querystring).toMatchObject({ if_seq_no: expect.any(String), if_primary_term: '1' });
    expect(cluster.requests[1]!.body).toEqual({ index_name: 'search-c1', service_type: 'x', deleted: true });
  });

  it('hard with delete_sync_jobs: DELETE refreshed, then the jobs, their claims and the locks by refreshed delete-by-query', async () => {
    const { cluster, connectors } = setup();
    cluster.seed(CONNECTORS, 'c1', { index_name: 'search-c1', service_type: 'x' });
    cluster.seed(JOBS, 'j1', { connector: { id: 'c1' }, created_at: NOW.toString() });
    cluster.seed(JOBS, 'j2', { connector: { id: 'c2' }, created_at: NOW.toString() });
    cluster.seed(IDEMPOTENCY, idempotencyDocId('k'), { key: 'k', fingerprint: 'f', job_id: 'j1' });
    cluster.seed(LOCKS, activeLockDocId('c1', 'content'), { connector_id: 'c1', job_class: 'content', job_id: 'j1' });
    cluster.requests.length = 0;
    await connectors.delete('c1', { hard: true, deleteSyncJobs: true });
    expect(cluster.requests.map(short)).toEqual([
      `DELETE /${CONNECTORS}/_doc/c1 {"refresh":"true"} null`,
      `POST /${JOBS}/_search {} {"size":10000,"query":{"bool":{"filter":[{"term":{"connector.id":"c1"}}]}},"_source":false}`,
      `GET /${IDEMPOTENCY}/_refresh {} null`,
      `POST /${IDEMPOTENCY}/_delete_by_query {"refresh":"true","conflicts":"proceed"} {"query":{"bool":{"filter":[{"terms":{"job_id":["j1"]}}]}}}`,
      `POST /${JOBS}/_delete_by_query {"refresh":"true","conflicts":"proceed"} {"query":{"bool":{"filter":[{"term":{"connector.id":"c1"}}]}}}`,
      `GET /${LOCKS}/_refresh {} null`,
      `POST /${LOCKS}/_delete_by_query {"refresh":"true","conflicts":"proceed"} {"query":{"bool":{"filter":[{"term":{"connector_id":"c1"}}]}}}`,
    ]);
    expect([...cluster.docs(JOBS).keys()]).toEqual(['j2']);
    expect(cluster.docs(IDEMPOTENCY).size).toBe(0);
    expect(cluster.docs(LOCKS).size).toBe(0);
    expect(cluster.docs(CONNECTORS).size).toBe(0);
  });

  it('a missing connector is ConnectorNotFoundError and deletes no jobs', async () => {
    const { cluster, connectors } = setup();
    cluster.seed(JOBS, 'j1', { connector: { id: 'c1' }, created_at: NOW.toString() });
    for (const hard of [false, true]) {
      await expect(connectors.delete('c1', { hard, deleteSyncJobs: true })).rejects.toBeInstanceOf(ConnectorNotFoundError);
    }
    expect(cluster.docs(JOBS).size).toBe(1);
  });
});
