import { Instant } from '../../../../src/index.js';
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
import { CreateSyncJob, decodeConnectorDocument } from '../../../../src/index.js';
import { describeStoreContract } from '../../../contract/stores.contract.js';
import { expectedDocument, vectors } from '../../../fixtures/vectors.js';

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
    const job = await new CreateSyncJob(connectors, jobs, { now: () => now }, { next: () => `${run}-golden` }).execute(v.request);
    const raw = await client.get({ index: indices.syncJobs, id: job.id });
    expect(JSON.stringify(raw._source)).toBe(JSON.stringify(expectedDocument(v.expect.document!, now)));
    // ensureIndices again leaves everything alone
    await jobs.ensureIndices();
    expect((await client.count({ index: indices.syncJobs })).count).toBe(1);
  });
});
