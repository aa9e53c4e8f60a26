import { test, fc } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createContainer, TOKENS } from '../../../src/index.js';
import type { SyncJobStore } from '../../../src/index.js';
import { memoryModule, MemorySyncJobStore } from '../../../adapters/memory/index.js';
import { expectErrorShape, startServer } from './harness.js';
import type { TestServer } from './harness.js';

const ids = fc.constantFrom('plain', 'detached', 'no-service-type', 'nope', '', ' ', 'PLAIN');
const enumish = (values: string[]) => fc.oneof(fc.constantFrom(...values, ...values.map((v) => v.toUpperCase())), fc.string({ maxLength: 8 }));
const field = fc.constantFrom('id', 'job_type', 'trigger_method', 'priority', 'ID', '__proto__', 'constructor');

/** Raw request bodies: near-valid requests, arbitrary objects and JSON values, arbitrary strings. */
const rawBodies: fc.Arbitrary<string> = fc.oneof(
  fc
    .record(
      { id: ids, job_type: enumish(['full', 'incremental', 'access_control']), trigger_method: enumish(['on_demand', 'scheduled']) },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  fc.dictionary(field, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.tuple(fc.array(fc.tuple(field, fc.oneof(ids, fc.jsonValue({ maxDepth: 1 }))), { maxLength: 4 }), fc.constantFrom('', ' ', '\n')).map(
    // hand-built objects: may repeat keys
    ([pairs, ws]) => `{${pairs.map(([k, v]) => `${ws}${JSON.stringify(k)}${ws}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`,
  ),
  fc.string(),
  fc.string({ unit: 'binary' }),
);

describe('HTTP adapter, property: POST never answers other than 201, 400 or 404', () => {
  let server: TestServer;
  const count = (): number => (server.container.get<SyncJobStore>(TOKENS.SyncJobStore) as MemorySyncJobStore).size;
  beforeAll(async () => {
    server = await startServer(() => createContainer(memoryModule()));
    await server.request('PUT', '/_connector/plain', { body: { index_name: 'search-test', service_type: 'super-connector' } });
    await server.request('PUT', '/_connector/detached', { body: { service_type: 'super-connector' } });
    await server.request('PUT', '/_connector/no-service-type', { body: { index_name: 'search-test-2' } });
  });
  afterAll(async () => {
    // the server still answers after everything the property sent
    expect((await server.request('GET', '/')).status).toBe(200);
    await server.close();
  });

  test.prop([rawBodies], { numRuns: 300 })('any raw body', async (raw) => {
    const before = count();
    const res = await server.request('POST', '/_connector/_sync_job', { body: raw });
    expect([201, 400, 404]).toContain(res.status);
    if (res.status === 201) {
      expect(Object.keys(res.json)).toEqual(['id']);
      expect(count()).toBe(before + 1);
    } else {
      expectErrorShape(res, res.status);
      expect(count()).toBe(before);
    }
  });
});
