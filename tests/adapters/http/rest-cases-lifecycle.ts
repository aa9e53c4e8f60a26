import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectErrorShape, startServer } from './harness.js';
import type { ContainerFactory, TestResponse, TestServer } from './harness.js';

const WRITE_KEY = 'lifecycle-writer';
const READ_KEY = 'lifecycle-reader';

/** Upstream's reason for an empty sync job id (ConnectorSyncJobConstants, wrapped by validation). */
const EMPTY_ID_REASON = 'Validation Failed: 1: [connector_sync_job_id] of the connector sync job cannot be null or empty.;';

/** Upstream's connector setup in every sync job YAML file (`connector.put`). */
const CONNECTOR = { index_name: 'search-test', name: 'my-connector', language: 'de', is_native: false, service_type: 'super-connector' };

/** Every millisecond-clock store orders by `created_at`; a short pause gives each job its own instant. */
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 3));

/** Upstream's answer for an invalid transition: ElasticsearchStatusException wrapping the state machine's exception. */
function invalidTransitionBody(from: string, to: string): unknown {
  const reason = `Invalid transition attempt from [${from}] to [${to}]. Such a ConnectorSyncStatus transition is not supported by the Connector Protocol.`;
  return {
    error: {
      root_cause: [{ type: 'status_exception', reason }],
      type: 'status_exception',
      reason,
      caused_by: { type: 'connector_sync_job_invalid_status_transition_exception', reason },
    },
    status: 400,
  };
}

/** Asserts a 404 for a missing job, with the project's reason (spec section 4: the long reason everywhere). */
function expectJobNotFound(res: TestResponse, id: string): void {
  const e = expectErrorShape(res, 404);
  expect(e.type).toBe('resource_not_found_exception');
  expect(e.reason).toBe(`connector sync job [${id}] not found`);
}

/** Asserts the 400 validation answer with exactly this reason. */
function expectValidation(res: TestResponse, reason: string): void {
  const e = expectErrorShape(res, 400);
  expect(e.type).toBe('action_request_validation_exception');
  expect(e.reason).toBe(reason);
}

/**
 * Upstream's YAML REST tests for the sync job lifecycle APIs (elastic/elasticsearch,
 * `x-pack/plugin/ent-search/qa/rest/.../entsearch/connector/sync_job/` 20 delete, 40 cancel,
 * 50 get, 70 update_stats, 90 claim; `entsearch/` 420 check_in, 450 error, 470 list), each
 * case translated over real HTTP, plus the spec's details upstream's Java pins down (section
 * 5: bodies, list parameters, invalid transitions, the empty id) and the API keys (a read key
 * may list and get, only a write key may change anything). Upstream's `catch: missing` is 404,
 * `bad_request` 400, `forbidden` 403; its unprivileged user is the read key here.
 */
export function describeLifecycleRestCases(name: string, makeContainer: ContainerFactory): void {
  describe(`upstream REST cases for the sync job lifecycle over HTTP (${name})`, () => {
    let server: TestServer;
    const write = { authorization: `ApiKey ${WRITE_KEY}` };
    const read = { authorization: `ApiKey ${READ_KEY}` };
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = write) =>
      server.request(method, path, body === undefined ? { headers } : { body, headers });
    const job = (id: string) => `/_connector/_sync_job/${encodeURIComponent(id)}`;
    const getJob = (id: string) => call('GET', job(id));
    const cancel = (id: string) => call('PUT', `${job(id)}/_cancel`);
    const checkIn = (id: string) => call('PUT', `${job(id)}/_check_in`);
    const claim = (id: string, body: unknown) => call('PUT', `${job(id)}/_claim`, body);
    const error = (id: string, body: unknown) => call('PUT', `${job(id)}/_error`, body);
    const stats = (id: string, body: unknown) => call('PUT', `${job(id)}/_stats`, body);
    const remove = (id: string) => call('DELETE', job(id));
    const list = (query = '', headers: Record<string, string> = write) => call('GET', `/_connector/_sync_job${query}`, undefined, headers);

    /** `connector.sync_job_post`: 201 `{"id"}`; returns the id. */
    async function post(body: unknown = { id: 'test-connector', job_type: 'full', trigger_method: 'on_demand' }): Promise<string> {
      const res = await call('POST', '/_connector/_sync_job', body);
      expect(res.status).toBe(201);
      expect(typeof res.json.id).toBe('string');
      await tick();
      return res.json.id as string;
    }

    /** GET that must succeed; the job as the API answers it. */
    async function read200(id: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
      const res = await getJob(id);
      expect(res.status).toBe(200);
      return res.json;
    }

    /** An update-style call's success: 200 with exactly `{"result":"updated"}`. */
    function expectUpdated(res: TestResponse): void {
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ result: 'updated' });
    }

    const STATS = { deleted_document_count: 10, indexed_document_count: 20, indexed_document_volume: 1000 };

    beforeAll(async () => {
      server = await startServer(makeContainer, {
        apiKeys: [
          { key: WRITE_KEY, role: 'write' },
          { key: READ_KEY, role: 'read' },
        ],
      });
      for (const [id, body] of [
        ['test-connector', CONNECTOR],
        ['connector-one', CONNECTOR],
        ['connector-two', { ...CONNECTOR, index_name: 'search-test-two', name: 'my-connector-two' }],
      ] as const) {
        // 200 when the storage already holds it (the Postgres server's database is shared with the create cases)
        expect([200, 201]).toContain((await call('PUT', `/_connector/${id}`, body)).status);
      }
    });
    afterAll(async () => {
      await server?.close();
    });

    describe('get (50_connector_sync_job_get)', () => {
      it('Get connector sync job', async () => {
        const id = await post({ id: 'test-connector', job_type: 'access_control', trigger_method: 'scheduled' });
        const got = await read200(id);
        expect(got.id).toBe(id);
        expect(got.job_type).toBe('access_control');
        expect(got.trigger_method).toBe('scheduled');
      });

      it('Get connector sync job - Missing sync job id -> 404', async () => {
        expectJobNotFound(await getJob('non-existing-sync-job-id'), 'non-existing-sync-job-id');
      });

      it('Read-only access is sufficient to get the sync job', async () => {
        const id = await post();
        const res = await call('GET', job(id), undefined, read);
        expect(res.status).toBe(200);
        expect(res.json).toMatchObject({ id, job_type: 'full', trigger_method: 'on_demand' });
      });

      it('Get sync job fails for unprivileged user (no valid key here: 401)', async () => {
        // The project's least privileged caller is the read key, which may read; a caller with
        // no privilege at all is one without a valid key.
        const id = await post();
        const e = expectErrorShape(await call('GET', job(id), undefined, { authorization: 'ApiKey not-a-key' }), 401);
        expect(e.type).toBe('security_exception');
      });
    });

    describe('delete (20_connector_sync_job_delete)', () => {
      it('Delete Connector Sync Job -> {"acknowledged":true}, then the job is missing', async () => {
        const id = await post();
        const res = await remove(id);
        expect(res.status).toBe(200);
        expect(res.json).toEqual({ acknowledged: true });
        expectJobNotFound(await getJob(id), id);
        const listed = await list('?connector_id=test-connector&size=1000');
        expect(listed.json.results.map((j: { id: string }) => j.id)).not.toContain(id);
      });

      it('Delete Connector Sync Job - Connector Sync Job does not exist -> 404', async () => {
        expectJobNotFound(await remove('test-nonexistent-connector-sync-job-id'), 'test-nonexistent-connector-sync-job-id');
      });

      it('Delete connector fails for unprivileged user (read key: 403), then the write key deletes', async () => {
        const id = await post();
        const e = expectErrorShape(await call('DELETE', job(id), undefined, read), 403);
        expect(e.type).toBe('security_exception');
        await read200(id);
        expect((await remove(id)).json).toEqual({ acknowledged: true });
      });

      it('delete works in any status (a claimed job)', async () => {
        const id = await post();
        expectUpdated(await claim(id, { worker_hostname: 'host-name' }));
        expect((await remove(id)).status).toBe(200);
        expectJobNotFound(await getJob(id), id);
      });
    });

    describe('cancel (40_connector_sync_job_cancel)', () => {
      it('Cancel a pending Connector Sync Job - transition to canceled directly', async () => {
        const id = await post();
        expectUpdated(await cancel(id));
        const got = await read200(id);
        expect(got.status).toBe('canceled');
        expect(typeof got.cancelation_requested_at).toBe('string');
        expect(got.completed_at).toBe(got.cancelation_requested_at);
        expect(got.canceled_at).toBe(got.cancelation_requested_at);
      });

      it('Cancel a canceled Connector Sync Job - invalid state transition from canceled to canceling', async () => {
        const id = await post();
        expectUpdated(await cancel(id));
        const res = await cancel(id);
        expectErrorShape(res, 400);
        expect(res.json).toEqual(invalidTransitionBody('canceled', 'canceling'));
        expect((await read200(id)).status).toBe('canceled');
      });

      it('Cancel a Connector Sync Job - Connector Sync Job does not exist -> 404 (upstream calls check_in here; both)', async () => {
        expectJobNotFound(await checkIn('test-nonexistent-connector-sync-job-id'), 'test-nonexistent-connector-sync-job-id');
        expectJobNotFound(await cancel('test-nonexistent-connector-sync-job-id'), 'test-nonexistent-connector-sync-job-id');
      });

      it('an in_progress job goes to canceling, setting only cancelation_requested_at', async () => {
        const id = await post();
        expectUpdated(await claim(id, { worker_hostname: 'host-name' }));
        await tick();
        expectUpdated(await cancel(id));
        const got = await read200(id);
        expect(got.status).toBe('canceling');
        expect(typeof got.cancelation_requested_at).toBe('string');
        expect(got.canceled_at ?? null).toBeNull();
        expect(got.completed_at ?? null).toBeNull();
      });
    });

    describe('check_in (420_connector_sync_job_check_in)', () => {
      it('Check in a Connector Sync Job: last_seen moves forward', async () => {
        const id = await post();
        const before = (await read200(id)).last_seen as string;
        await tick();
        expectUpdated(await checkIn(id));
        const after = (await read200(id)).last_seen as string;
        expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
      });

      it('Check in a Connector Sync Job - Connector Sync Job does not exist -> 404', async () => {
        expectJobNotFound(await checkIn('test-nonexistent-connector-sync-job-id'), 'test-nonexistent-connector-sync-job-id');
      });

      it('check_in does no status check: a canceled job takes it', async () => {
        const id = await post();
        expectUpdated(await cancel(id));
        expectUpdated(await checkIn(id));
        expect((await read200(id)).status).toBe('canceled');
      });
    });

    describe('claim (90_connector_sync_job_claim)', () => {
      it('Set only worker_hostname for a Connector Sync Job', async () => {
        const id = await post();
        expect((await read200(id)).status).toBe('pending');
        expectUpdated(await claim(id, { worker_hostname: 'host-name' }));
        const got = await read200(id);
        expect(got.worker_hostname).toBe('host-name');
        expect(got.status).toBe('in_progress');
        expect(typeof got.started_at).toBe('string');
        expect(got.last_seen).toBe(got.started_at);
        const connector = await call('GET', '/_connector/test-connector');
        expect(connector.status).toBe(200);
        expect(connector.json.sync_cursor ?? null).toBeNull();
      });

      it('Set both worker_hostname and sync_cursor for a Connector Sync Job', async () => {
        const id = await post();
        expect((await read200(id)).status).toBe('pending');
        expectUpdated(await claim(id, { worker_hostname: 'host-name', sync_cursor: { cursor: 'cursor' } }));
        const got = await read200(id);
        expect(got.worker_hostname).toBe('host-name');
        expect(got.status).toBe('in_progress');
        expect(got.connector.sync_cursor).toEqual({ cursor: 'cursor' });
        // the rest of the snapshot is kept
        expect(got.connector).toMatchObject({ id: 'test-connector', index_name: 'search-test', service_type: 'super-connector' });
        const connector = await call('GET', '/_connector/test-connector');
        expect(connector.json.sync_cursor ?? null).toBeNull();
      });

      it('Fail to claim a Connector Sync Job - Connector Sync Job does not exist -> 404', async () => {
        expectJobNotFound(await claim('non-existing-connector-sync-job-id', { worker_hostname: 'host-name' }), 'non-existing-connector-sync-job-id');
      });

      it('Fail to claim a Connector Sync Job - worker_hostname is missing -> 400 (the body is checked before the lookup)', async () => {
        // upstream sends this to the id `test-connector`, which names no job
        const e = expectErrorShape(await claim('test-connector', { sync_cursor: { cursor: 'cursor' } }), 400);
        expect(e.reason).toBe('Required [worker_hostname]');
      });

      it('Fail to claim a Connector Sync Job - worker_hostname is null -> 400', async () => {
        const e = expectErrorShape(await claim('test-connector', { worker_hostname: null }), 400);
        expect(e.type).toBe('x_content_parse_exception');
        expect(e.reason).toContain("[claim_connector_sync_job] worker_hostname doesn't support values of type: VALUE_NULL");
      });

      it('an unknown field -> 400 naming the parser', async () => {
        const e = expectErrorShape(await claim('test-connector', { worker_hostname: 'h', worker: 'x' }), 400);
        expect(e.type).toBe('x_content_parse_exception');
        expect(e.reason).toContain('[claim_connector_sync_job] unknown field [worker]');
      });

      it('a second claim is refused: in_progress -> in_progress is not a transition (spec section 4)', async () => {
        const id = await post();
        expectUpdated(await claim(id, { worker_hostname: 'first' }));
        const res = await claim(id, { worker_hostname: 'second' });
        expect(res.json).toEqual(invalidTransitionBody('in_progress', 'in_progress'));
        expect((await read200(id)).worker_hostname).toBe('first');
      });

      it('ten concurrent claims of one pending job: exactly one wins', async () => {
        const id = await post();
        const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => claim(id, { worker_hostname: `worker-${i}` })));
        const winners = answers.filter((r) => r.status === 200);
        expect(winners).toHaveLength(1);
        for (const r of answers.filter((a) => a.status !== 200)) {
          expect(r.json).toEqual(invalidTransitionBody('in_progress', 'in_progress'));
        }
        expect((await read200(id)).status).toBe('in_progress');
      });
    });

    describe('error (450_connector_sync_job_error)', () => {
      it('Set an error for a pending connector sync job - invalid state transition from pending to error', async () => {
        const id = await post();
        const res = await error(id, { error: 'error' });
        expectErrorShape(res, 400);
        expect(res.json).toEqual(invalidTransitionBody('pending', 'error'));
        expect((await read200(id)).status).toBe('pending');
      });

      it('Set an error for a Connector Sync Job - Connector Sync Job does not exist -> 404', async () => {
        expectJobNotFound(await error('test-nonexistent-connector-sync-job-id', { error: 'error' }), 'test-nonexistent-connector-sync-job-id');
      });

      it('an in_progress job takes the error', async () => {
        const id = await post();
        expectUpdated(await claim(id, { worker_hostname: 'host-name' }));
        expectUpdated(await error(id, { error: 'some error' }));
        const got = await read200(id);
        expect(got.status).toBe('error');
        expect(got.error).toBe('some error');
      });

      it('an empty error -> 400 validation; a missing one -> Required [error]; unknown field -> 400', async () => {
        expectValidation(await error('test-connector', { error: '' }), 'Validation Failed: 1: [error] of the connector sync job cannot be null or empty;');
        expect(expectErrorShape(await error('test-connector', {}), 400).reason).toBe('Required [error]');
        const e = expectErrorShape(await error('test-connector', { error: 'x', errors: 'y' }), 400);
        expect(e.reason).toContain('[connector_sync_job_error_request] unknown field [errors]');
      });
    });

    describe('update_stats (70_connector_sync_job_update_stats)', () => {
      it('only mandatory parameters', async () => {
        const id = await post();
        expectUpdated(await stats(id, STATS));
        expect(await read200(id)).toMatchObject(STATS);
      });

      for (const [field, value] of [
        ['deleted_document_count', -10],
        ['indexed_document_count', -20],
        ['indexed_document_volume', -1000],
        ['total_document_count', -10],
      ] as const) {
        it(`negative ${field} error -> 400 [${field}] cannot be negative.`, async () => {
          const id = await post();
          expectValidation(await stats(id, { ...STATS, [field]: value }), `Validation Failed: 1: [${field}] cannot be negative.;`);
          expect(await read200(id)).toMatchObject({ deleted_document_count: 0, indexed_document_count: 0, indexed_document_volume: 0, total_document_count: 0 });
        });
      }

      it('every negative counter is named in one reason', async () => {
        expectValidation(
          await stats('test-connector', { deleted_document_count: -1, indexed_document_count: -1, indexed_document_volume: -1, total_document_count: -1 }),
          'Validation Failed: 1: [deleted_document_count] cannot be negative.;2: [indexed_document_count] cannot be negative.;3: [indexed_document_volume] cannot be negative.;4: [total_document_count] cannot be negative.;',
        );
      });

      it('with optional total_document_count', async () => {
        const id = await post();
        expectUpdated(await stats(id, { ...STATS, total_document_count: 20 }));
        expect(await read200(id)).toMatchObject({ ...STATS, total_document_count: 20 });
      });

      it('with optional last_seen: microseconds read back exactly', async () => {
        const id = await post();
        expectUpdated(await stats(id, { ...STATS, last_seen: '2023-12-04T08:45:50.567149Z' }));
        const got = await read200(id);
        expect(got).toMatchObject(STATS);
        expect(got.last_seen).toBe('2023-12-04T08:45:50.567149Z');
      });

      it('with optional metadata', async () => {
        const id = await post();
        expectUpdated(await stats(id, { ...STATS, metadata: { someKey1: 'test', someKey2: 'test2' } }));
        const got = await read200(id);
        expect(got).toMatchObject(STATS);
        expect(got.metadata).toEqual({ someKey1: 'test', someKey2: 'test2' });
      });

      for (const [kind, metadata, token] of [
        ['string', 'abc', 'VALUE_STRING'],
        ['number', 123, 'VALUE_NUMBER'],
      ] as const) {
        it(`metadata wrong type ${kind} -> 400`, async () => {
          const id = await post();
          const e = expectErrorShape(await stats(id, { ...STATS, metadata }), 400);
          expect(e.type).toBe('x_content_parse_exception');
          expect(e.reason).toContain(`[connector_sync_job_update_ingestion_stats] metadata doesn't support values of type: ${token}`);
        });
      }

      it('Connector Sync Job does not exist -> 404', async () => {
        expectJobNotFound(await stats('test-nonexistent-connector-sync-job-id', STATS), 'test-nonexistent-connector-sync-job-id');
      });

      it('counters are 64-bit: 3,000,000,000 round-trips', async () => {
        const id = await post();
        expectUpdated(await stats(id, { deleted_document_count: 3_000_000_000, indexed_document_count: 3_000_000_001, indexed_document_volume: 3_000_000_002 }));
        expect(await read200(id)).toMatchObject({ deleted_document_count: 3_000_000_000, indexed_document_count: 3_000_000_001, indexed_document_volume: 3_000_000_002 });
      });

      it('a missing required counter -> 400 Required [...]', async () => {
        const e = expectErrorShape(await stats('test-connector', { deleted_document_count: 1, indexed_document_count: 2 }), 400);
        expect(e.reason).toBe('Required [indexed_document_volume]');
      });

      it('stats do no status check: a canceled job takes them', async () => {
        const id = await post();
        expectUpdated(await cancel(id));
        expectUpdated(await stats(id, STATS));
        expect(await read200(id)).toMatchObject({ ...STATS, status: 'canceled' });
      });
    });

    describe('list (470_connector_sync_job_list)', () => {
      /** Upstream's YAML runner starts every test on empty indices: delete every job first. */
      beforeEach(async () => {
        for (;;) {
          const res = await list('?size=1000');
          expect(res.status).toBe(200);
          if (res.json.count === 0) break;
          for (const j of res.json.results as { id: string }[]) expect((await remove(j.id)).status).toBe(200);
        }
      });

      const ids = (res: TestResponse): string[] => (res.json.results as { id: string }[]).map((j) => j.id);
      const AC = { id: 'connector-one', job_type: 'access_control', trigger_method: 'scheduled' };

      it('List Connector Sync Jobs: newest first, exactly {count, results}, each as GET gives it', async () => {
        const one = await post(AC);
        const two = await post(AC);
        const three = await post(AC);
        const res = await list();
        expect(res.status).toBe(200);
        expect(Object.keys(res.json)).toEqual(['count', 'results']);
        expect(res.json.count).toBe(3);
        expect(ids(res)).toEqual([three, two, one]);
        expect(res.json.results[0]).toEqual(await read200(three));
      });

      it('with from', async () => {
        const one = await post(AC);
        const two = await post(AC);
        await post(AC);
        const res = await list('?from=1');
        expect(res.json.count).toBe(3);
        expect(ids(res)).toEqual([two, one]);
      });

      it('with size', async () => {
        await post(AC);
        await post(AC);
        const three = await post(AC);
        const res = await list('?size=1');
        expect(res.json.count).toBe(3);
        expect(ids(res)).toEqual([three]);
      });

      it('Get pending jobs', async () => {
        const one = await post(AC);
        const two = await post(AC);
        expectUpdated(await cancel(two));
        const res = await list('?status=pending');
        expect(res.json.count).toBe(1);
        expect(ids(res)).toEqual([one]);
      });

      it('Get jobs for connector one', async () => {
        const one = await post(AC);
        await post({ ...AC, id: 'connector-two' });
        const res = await list('?connector_id=connector-one');
        expect(res.json.count).toBe(1);
        expect(ids(res)).toEqual([one]);
      });

      it('with invalid job status -> 400', async () => {
        const e = expectErrorShape(await list('?status=invalid_job_status'), 400);
        expect(e.type).toBe('illegal_argument_exception');
        expect(e.reason).toBe('Unknown ConnectorSyncStatus [invalid_job_status].');
      });

      it('Get jobs with single job type', async () => {
        const one = await post({ id: 'connector-one', job_type: 'full', trigger_method: 'scheduled' });
        await post({ id: 'connector-one', job_type: 'incremental', trigger_method: 'scheduled' });
        const res = await list('?connector_id=connector-one&job_type=full');
        expect(res.json.count).toBe(1);
        expect(ids(res)).toEqual([one]);
      });

      it('Get jobs with multiple job types', async () => {
        const one = await post({ id: 'connector-one', job_type: 'full', trigger_method: 'scheduled' });
        const two = await post({ id: 'connector-one', job_type: 'incremental', trigger_method: 'scheduled' });
        await post({ id: 'connector-one', job_type: 'access_control', trigger_method: 'scheduled' });
        const res = await list('?connector_id=connector-one&job_type=full,incremental');
        expect(res.json.count).toBe(2);
        expect(ids(res)).toEqual([two, one]);
      });

      it('with invalid job type -> 400', async () => {
        const e = expectErrorShape(await list('?job_type=invalid_job_type,incremental'), 400);
        expect(e.type).toBe('illegal_argument_exception');
        expect(e.reason).toBe('Unknown ConnectorSyncJobType [invalid_job_type].');
      });

      it('empty list', async () => {
        const res = await list();
        expect(res.status).toBe(200);
        expect(res.json).toEqual({ count: 0, results: [] });
      });

      it('from or size below 0 -> 400 Parameter [x] cannot be < 0', async () => {
        for (const p of ['from', 'size']) {
          const e = expectErrorShape(await list(`?${p}=-1`), 400);
          expect(e.type).toBe('illegal_argument_exception');
          expect(e.reason).toBe(`Parameter [${p}] cannot be < 0`);
        }
      });

      it('status is read case-insensitively; filters combine', async () => {
        const one = await post(AC);
        const two = await post({ ...AC, id: 'connector-two' });
        await post({ id: 'connector-one', job_type: 'full', trigger_method: 'scheduled' });
        expect(ids(await list('?status=PENDING&connector_id=connector-one&job_type=access_control'))).toEqual([one]);
        expect(ids(await list('?status=pending&job_type=access_control'))).toEqual([two, one]);
        expect((await list('?status=canceled')).json).toEqual({ count: 0, results: [] });
      });

      it('a read key may list', async () => {
        const one = await post(AC);
        const res = await list('', read);
        expect(res.status).toBe(200);
        expect(ids(res)).toEqual([one]);
      });
    });

    describe('the empty id and the API keys', () => {
      const routes: [string, (id: string) => string, unknown][] = [
        ['DELETE', (id) => `/_connector/_sync_job/${id}/`, undefined],
        ['PUT', (id) => `/_connector/_sync_job/${id}/_cancel`, undefined],
        ['PUT', (id) => `/_connector/_sync_job/${id}/_check_in`, undefined],
        ['PUT', (id) => `/_connector/_sync_job/${id}/_claim`, { worker_hostname: 'h' }],
        ['PUT', (id) => `/_connector/_sync_job/${id}/_error`, { error: 'e' }],
        ['PUT', (id) => `/_connector/_sync_job/${id}/_stats`, STATS],
      ];

      it('an empty job id -> 400 [connector_sync_job_id] of the connector sync job cannot be null or empty', async () => {
        for (const [method, path, body] of routes.slice(1)) expectValidation(await call(method, path(''), body), EMPTY_ID_REASON);
        expectValidation(await call('DELETE', '/_connector/_sync_job//'), EMPTY_ID_REASON);
      });

      it('a read key may change nothing (403, the job unchanged); a write key may', async () => {
        const id = await post();
        for (const [method, path, body] of routes) {
          const e = expectErrorShape(await call(method, path(id), body, read), 403);
          expect(e.type).toBe('security_exception');
        }
        const got = await read200(id);
        expect(got).toMatchObject({ status: 'pending', deleted_document_count: 0 });
        expect(got.last_seen).toBe(got.created_at);
        expectUpdated(await claim(id, { worker_hostname: 'h' }));
      });

      it('a read key sending a bad body gets the 400 first, as upstream (parsed and validated before the privileges are checked)', async () => {
        const id = await post();
        // unknown field: the parser's 400
        let e = expectErrorShape(await call('PUT', `${job(id)}/_claim`, { worker_hostname: 'h', bogus: 1 }, read), 400);
        expect(e.type).toBe('x_content_parse_exception');
        // a parsed but invalid body: the validation's 400
        expectValidation(await call('PUT', `${job(id)}/_error`, { error: '' }, read), 'Validation Failed: 1: [error] of the connector sync job cannot be null or empty;');
        expectValidation(
          await call('PUT', `${job(id)}/_stats`, { ...STATS, deleted_document_count: -1 }, read),
          'Validation Failed: 1: [deleted_document_count] cannot be negative.;',
        );
        // a body on a route that reads none
        e = expectErrorShape(await call('PUT', `${job(id)}/_cancel`, { x: 1 }, read), 400);
        expect(e.reason).toBe(`request [PUT /_connector/_sync_job/${id}/_cancel] does not support having a body`);
        // create: an unknown field, then a valid body (403)
        expect(expectErrorShape(await call('POST', '/_connector/_sync_job', { id: 'test-connector', bogus: 1 }, read), 400).type).toBe('x_content_parse_exception');
        expect(expectErrorShape(await call('POST', '/_connector/_sync_job', { id: 'test-connector' }, read), 403).type).toBe('security_exception');
        // DELETE connector's parameters are read before the privileges too
        expect(expectErrorShape(await call('DELETE', '/_connector/test-connector?hard=bogus', undefined, read), 400).type).toBe('illegal_argument_exception');
        expect(expectErrorShape(await call('DELETE', '/_connector/test-connector?hard=true', undefined, read), 403).type).toBe('security_exception');
        expect((await read200(id)).status).toBe('pending');
      });
    });
  });
}
