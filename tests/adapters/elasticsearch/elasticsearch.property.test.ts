/**
 * Property: any connector document (as Elasticsearch stores it) and any valid create request give
 * a stored document that is exactly the codec's encoding of the returned job and that parses
 * back (decodeSyncJobDocument) to an identical entity, through the adapter and the transport.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { ElasticsearchConnectorStore, ElasticsearchSyncJobStore } from '../../../adapters/elasticsearch/index.js';
import {
  CreateSyncJob,
  Instant,
  JOB_TYPES,
  TRIGGER_METHODS,
  decodeConnectorDocument,
  decodeSyncJobDocument,
  encodeSyncJobDocument,
  newSyncJob,
  parseCreateSyncJobRequest,
} from '../../../src/internal.js';
import type { JsonObject, JsonValue } from '../../../src/internal.js';
import { fixedClock } from 'connector-sync-jobs/testing';
import { MockCluster } from './mock-cluster.js';

const key = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constant('__proto__'));
const json: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
    fc.string({ maxLength: 10 }),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(key, tie('v'), { maxKeys: 3 }),
  ),
})).v;
const optString = fc.option(fc.string({ maxLength: 12 }), { nil: null });
const date = fc.option(fc.constantFrom('2023-05-25T12:30:00.000Z', '2021-01-01T00:00:00.000Z'), { nil: null });
const rule = fc.record({
  created_at: date,
  field: optString,
  id: optString,
  order: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  policy: fc.option(fc.constantFrom('include', 'exclude'), { nil: null }),
  rule: fc.option(fc.constantFrom('regex', 'equals', 'contains'), { nil: null }),
  updated_at: date,
  value: optString,
});
const block = fc.record(
  {
    advanced_snippet: fc.record({ created_at: date, updated_at: date, value: json }),
    rules: fc.array(rule, { maxLength: 3 }),
    validation: fc.record({
      errors: fc.array(fc.record({ ids: fc.array(fc.string(), { maxLength: 2 }), messages: fc.array(fc.string(), { maxLength: 2 }) }), { maxLength: 2 }),
      state: fc.option(fc.constantFrom('valid', 'invalid', 'edited'), { nil: null }),
    }),
  },
  { requiredKeys: ['rules'] },
);
const connectorDocument = fc.record(
  {
    index_name: fc.string({ minLength: 1, maxLength: 20 }),
    service_type: fc.string({ minLength: 1, maxLength: 20 }),
    name: optString,
    language: optString,
    is_native: fc.boolean(),
    pipeline: fc.option(
      fc.record({ extract_binary_content: fc.boolean(), name: fc.string(), reduce_whitespace: fc.boolean(), run_ml_inference: fc.boolean() }),
      { nil: null },
    ),
    configuration: fc.option(fc.dictionary(key, json, { maxKeys: 4 }), { nil: null }),
    filtering: fc.option(
      fc.array(fc.record({ domain: fc.constantFrom('DEFAULT', 'TEST'), active: block, draft: block }, { requiredKeys: ['domain'] }), { maxLength: 3 }),
      { nil: null },
    ),
    deleted: fc.constant(false),
    // fields the lookup must ignore, as Elasticsearch's connector documents carry many more
    status: fc.constantFrom('connected', 'configured'),
    scheduling: fc.constant({ full: { enabled: false, interval: '0 0 0 * * ?' } }),
  },
  { requiredKeys: ['index_name', 'service_type', 'is_native', 'deleted'] },
);
const request = fc.record(
  {
    job_type: fc.constantFrom(...JOB_TYPES, 'FULL', 'Incremental', 'ACCESS_CONTROL'),
    trigger_method: fc.constantFrom(...TRIGGER_METHODS, 'SCHEDULED', 'On_Demand'),
  },
  { requiredKeys: [] },
);

describe('elasticsearch adapter: property', () => {
  // '%' is left out of ids: the mock's router (find-my-way) cannot route a decoded '%'.
  test.prop([fc.string({ minLength: 1, maxLength: 16 }).filter((s) => !s.includes('%')), connectorDocument, request, fc.tuple(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 })).map(([d, us]) => Instant.ofEpochMicros(d.getTime() * 1000 + us))], {
    numRuns: 60,
  })('stored document == codec(job), and it decodes back to the identical entity', async (connectorId, doc, req, now) => {
    const cluster = new MockCluster();
    const client = cluster.client();
    cluster.seed('.elastic-connectors', connectorId, doc);
    const jobs = new ElasticsearchSyncJobStore(client);
    const create = new CreateSyncJob(new ElasticsearchConnectorStore(client), jobs, fixedClock(now), { next: () => 'prop-job' });
    const body = { id: connectorId, ...req };
    const job = await create.execute(body);

    const stored = cluster.docs('.elastic-connectors-sync-jobs').get('prop-job')!.source as JsonObject;
    expect(JSON.stringify(stored)).toBe(JSON.stringify(encodeSyncJobDocument(job)));
    expect(stored).not.toHaveProperty('id');
    expect(decodeSyncJobDocument('prop-job', stored)).toEqual(job);
    expect(await jobs.get('prop-job')).toEqual(job);
    // and it is the job the core defines for that connector document and request
    const expected = newSyncJob('prop-job', parseCreateSyncJobRequest(body), decodeConnectorDocument(connectorId, doc as JsonObject), now);
    expect(job).toEqual(expected);
  });
});
