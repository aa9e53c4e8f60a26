import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorShape, startServer } from './harness.js';
import type { ContainerFactory, TestServer } from './harness.js';
import { describeLifecycleRestCases } from './rest-cases-lifecycle.js';

const WRITE_KEY = 'rest-cases-writer';
const READ_KEY = 'rest-cases-reader';

const filtering = (id: string, createdAt: string): unknown => ({
  advanced_snippet: { created_at: createdAt, updated_at: createdAt, value: {} },
  rules: [{ created_at: createdAt, field: '_', id, order: 0, policy: 'include', rule: 'regex', updated_at: createdAt, value: '.*' }],
  validation: { errors: [], state: 'valid' },
});

/**
 * Upstream's REST test cases for create (spec section 6) over real HTTP, against a server built
 * on the container `makeContainer` gives. Auth is on (a write key for the cases, a read key for
 * case 11), so the cases also run through the auth layer. Then the lifecycle APIs' cases
 * (`rest-cases-lifecycle.ts`) on a server of their own.
 */
export function describeRestCases(name: string, makeContainer: ContainerFactory): void {
  describe(`upstream REST cases for create over HTTP (${name})`, () => {
    let server: TestServer;
    const auth = { authorization: `ApiKey ${WRITE_KEY}` };
    const put = (id: string, body: unknown) => server.request('PUT', `/_connector/${id}`, { body, headers: auth });
    const post = (body: unknown) => server.request('POST', '/_connector/_sync_job', { body, headers: auth });
    const getJob = (id: string) => server.request('GET', `/_connector/_sync_job/${id}`, { headers: auth });

    /** POSTs, expects 201 `{"id"}` exactly, GETs the job and checks upstream's common assertions. */
    async function createAndGet(body: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
      const res = await post(body);
      expect(res.status).toBe(201);
      expect(Object.keys(res.json)).toEqual(['id']);
      expect(typeof res.json.id).toBe('string');
      const job = await getJob(res.json.id);
      expect(job.status).toBe(200);
      expect(job.json).toMatchObject({
        id: res.json.id,
        status: 'pending',
        deleted_document_count: 0,
        indexed_document_count: 0,
        indexed_document_volume: 0,
        total_document_count: 0,
      });
      expect(typeof job.json.created_at).toBe('string');
      expect(job.json.last_seen).toBe(job.json.created_at);
      return job.json;
    }

    beforeAll(async () => {
      server = await startServer(makeContainer, {
        apiKeys: [
          { key: WRITE_KEY, role: 'write' },
          { key: READ_KEY, role: 'read' },
        ],
      });
      expect((await put('test-connector', { index_name: 'search-test', language: 'de', service_type: 'super-connector' })).status).toBe(201);
      expect((await put('test-connector-detached-index', { language: 'de', service_type: 'super-connector' })).status).toBe(201);
      expect((await put('test-connector-no-service-type', { index_name: 'search-test-2', language: 'de' })).status).toBe(201);
    });
    afterAll(async () => {
      await server?.close();
    });

    it('1. full, on_demand -> 201, the job reads back', async () => {
      const job = await createAndGet({ id: 'test-connector', job_type: 'full', trigger_method: 'on_demand' });
      expect(job).toMatchObject({
        connector: { id: 'test-connector', index_name: 'search-test', language: 'de', service_type: 'super-connector' },
        job_type: 'full',
        trigger_method: 'on_demand',
      });
    });

    it('2. the snapshot carries the first filtering entry\'s active block', async () => {
      const res = await put('test-connector', {
        index_name: 'search-test',
        language: 'de',
        service_type: 'super-connector',
        filtering: [
          { domain: 'DEFAULT', active: filtering('RULE-ACTIVE-SYNC-JOB-TEST', '2023-05-25T12:30:00.000Z'), draft: filtering('RULE-DRAFT-0', '2023-05-25T12:30:00.000Z') },
          { domain: 'TEST', active: filtering('RULE-ACTIVE-1', '2021-05-25T12:30:00.000Z'), draft: filtering('RULE-DRAFT-1', '2021-05-25T12:30:00.000Z') },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ result: 'updated', id: 'test-connector' });
      const job = await createAndGet({ id: 'test-connector', job_type: 'full', trigger_method: 'on_demand' });
      expect(Array.isArray(job.connector.filtering)).toBe(false);
      expect(job.connector.filtering.rules[0].id).toBe('RULE-ACTIVE-SYNC-JOB-TEST');
      expect(job.connector.filtering.rules[0].rule).toBe('regex');
      expect(job.connector.filtering.validation.state).toBe('valid');
      expect(job.connector.filtering.advanced_snippet.created_at).toBe('2023-05-25T12:30:00.000Z');
    });

    it('3. the snapshot carries the pipeline and the configuration', async () => {
      const res = await put('test-connector', {
        index_name: 'search-test',
        language: 'de',
        service_type: 'super-connector',
        pipeline: { extract_binary_content: true, name: 'test-pipeline', reduce_whitespace: true, run_ml_inference: false },
        configuration: { some_field: { label: 'Very important field', type: 'str', value: 456 } },
      });
      expect(res.status).toBe(200);
      const job = await createAndGet({ id: 'test-connector', job_type: 'full', trigger_method: 'on_demand' });
      expect(job.connector.pipeline.name).toBe('test-pipeline');
      expect(job.connector.configuration.some_field.value).toBe(456);
    });

    it('4. job_type defaults to full', async () => {
      const job = await createAndGet({ id: 'test-connector', trigger_method: 'on_demand' });
      expect(job.job_type).toBe('full');
      expect(job.trigger_method).toBe('on_demand');
    });

    it('5. trigger_method defaults to on_demand', async () => {
      const job = await createAndGet({ id: 'test-connector', job_type: 'full' });
      expect(job.trigger_method).toBe('on_demand');
      expect(job.job_type).toBe('full');
    });

    it('6. a missing connector -> 404', async () => {
      const e = expectErrorShape(await post({ id: 'non-existing-id', job_type: 'full', trigger_method: 'on_demand' }), 404);
      expect(e.type).toBe('resource_not_found_exception');
      expect(e.reason).toBe("Connector with id 'non-existing-id' does not exist.");
    });

    it('7. an invalid job_type -> 400', async () => {
      const e = expectErrorShape(await post({ id: 'test-connector', job_type: 'invalid_job_type', trigger_method: 'on_demand' }), 400);
      expect(e.type).toBe('x_content_parse_exception');
      expect(JSON.stringify(e)).toContain('Unknown ConnectorSyncJobType [invalid_job_type].');
    });

    it('8. an invalid trigger_method -> 400', async () => {
      const e = expectErrorShape(await post({ id: 'test-connector', job_type: 'full', trigger_method: 'invalid_trigger_method' }), 400);
      expect(e.type).toBe('x_content_parse_exception');
      expect(JSON.stringify(e)).toContain('Unknown ConnectorSyncJobTriggerMethod [invalid_trigger_method].');
    });

    for (const trigger of ['invalid_trigger_method', 'on_demand']) {
      it(`9. a connector with no index -> 400 (trigger_method ${trigger})`, async () => {
        const e = expectErrorShape(await post({ id: 'test-connector-detached-index', job_type: 'full', trigger_method: trigger }), 400);
        if (trigger === 'on_demand') {
          expect(e.type).toBe('status_exception');
          expect(e.reason).toBe(
            'Cannot start a sync for connector [test-connector-detached-index] with no index attached. Set the [index_name] property for the connector to enable syncing data.',
          );
        }
      });

      it(`10. a connector with no service type -> 400 (trigger_method ${trigger})`, async () => {
        const e = expectErrorShape(await post({ id: 'test-connector-no-service-type', job_type: 'full', trigger_method: trigger }), 400);
        if (trigger === 'on_demand') {
          expect(e.type).toBe('status_exception');
          expect(e.reason).toBe(
            'Cannot start a sync for connector [test-connector-no-service-type] with [service_type] not defined. Set the service type of your connector before starting the sync.',
          );
        }
      });
    }

    it('11. an unprivileged caller -> 403; the read key can still read', async () => {
      const res = await server.request('POST', '/_connector/_sync_job', {
        body: { id: 'test-connector', job_type: 'full', trigger_method: 'on_demand' },
        headers: { authorization: `ApiKey ${READ_KEY}` },
      });
      const e = expectErrorShape(res, 403);
      expect(e.type).toBe('security_exception');
      // the read key may still read
      const job = await createAndGet({ id: 'test-connector' });
      const read = await server.request('GET', `/_connector/_sync_job/${job.id}`, { headers: { authorization: `ApiKey ${READ_KEY}` } });
      expect(read.status).toBe(200);
    });
  });

  describeLifecycleRestCases(name, makeContainer);
}
