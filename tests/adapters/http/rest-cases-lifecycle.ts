import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectErrorShape, startServer } from './harness.js';
import type { ContainerFactory, TestResponse, TestServer } from './harness.js';

const WRITE_KEY = 'lifecycle-writer';
const READ_KEY = 'lifecycle-reader';

/** Upstream's reason for an empty sync job id (ConnectorSyncJobConstants, wrapped by validation). */
const EMPTY_ID_REASON = 'Validation Failed: 1: [connector_sync_job_id] of the connector sync job cannot be null or empty.;';

/** Upstream's connector setup in every sync job YAML file (`connector.put`). */
const CONNECTOR = { index_name: 'search-test', name: 'my-connector', language: 'de', is_native: false, service_type: 'super-connector' };

/** The connector's sync info fields (spec section 8), as `GET _connector/<id>` answers them. */
const SYNC_INFO_FIELDS = [
  'last_sync_status',
  'last_sync_error',
  'last_access_control_sync_status',
  'last_access_control_sync_error',
  'last_synced',
  'last_indexed_document_count',
  'last_deleted_document_count',
  'sync_cursor',
  'status',
  'error',
] as const;

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

    /**
     * This project's ends of a job (spec section 8): `_complete` and `_suspend` (extensions),
     * `_error`'s end time, the fence `if_started_at`, and the connector's sync info on `GET
     * _connector/<id>`. Each case that reads the sync info uses a connector of its own.
     */
    describe("a job's end and the connector's sync info (spec section 8, extensions)", () => {
      const complete = (id: string, body?: unknown, query = '') => call('PUT', `${job(id)}/_complete${query}`, body);
      const suspend = (id: string, body?: unknown, query = '') => call('PUT', `${job(id)}/_suspend${query}`, body);
      const fence = (startedAt: string) => `?if_started_at=${encodeURIComponent(startedAt)}`;
      const getConnector = async (id: string): Promise<any> => { // eslint-disable-line @typescript-eslint/no-explicit-any
        const res = await call('GET', `/_connector/${id}`);
        expect(res.status).toBe(200);
        return res.json;
      };
      /** The connector's sync info as read back: a field null or absent is left out (spec section 8 allows either). */
      const syncInfo = async (id: string): Promise<Record<string, unknown>> => {
        const c = await getConnector(id);
        const out: Record<string, unknown> = {};
        for (const f of SYNC_INFO_FIELDS) if (c[f] !== undefined && c[f] !== null) out[f] = c[f];
        return out;
      };
      let connectors = 0;
      /** A connector of this case's own (upstream's setup body), and a job for it; returns both ids. */
      const freshJob = async (jobType = 'full'): Promise<{ connector: string; id: string }> => {
        const connector = `end-connector-${++connectors}`;
        expect([200, 201]).toContain((await call('PUT', `/_connector/${connector}`, CONNECTOR)).status);
        return { connector, id: await post({ id: connector, job_type: jobType, trigger_method: 'on_demand' }) };
      };
      /** A fresh job claimed by `worker`; returns the ids and the claim's `started_at`. */
      const claimedJob = async (jobType = 'full', worker = 'worker-1'): Promise<{ connector: string; id: string; startedAt: string }> => {
        const fresh = await freshJob(jobType);
        expectUpdated(await claim(fresh.id, { worker_hostname: worker, sync_cursor: { page: 1 } }));
        await tick();
        return { ...fresh, startedAt: (await read200(fresh.id)).started_at as string };
      };
      const expectEnd = (res: TestResponse, result: 'updated' | 'noop', status: string): void => {
        expect({ status: res.status, body: res.json }).toEqual({ status: 200, body: { result, status } });
      };

      it('a whole life to completed: claim, stats, complete with a body; the job, the connector, and a repeated complete is noop', async () => {
        const { connector, id } = await freshJob();
        expect(await syncInfo(connector)).toEqual({ status: 'created' });
        expectUpdated(await claim(id, { worker_hostname: 'worker-1', sync_cursor: { page: 1, token: 'abc' } }));
        expect(await syncInfo(connector)).toEqual({ last_sync_status: 'in_progress', status: 'connected' });
        const claimed = await read200(id);
        await tick();
        expectUpdated(await stats(id, { ...STATS, metadata: { kept: 1, m: { a: 1 } } }));
        await tick();
        const body = {
          deleted_document_count: 1,
          indexed_document_count: 25,
          indexed_document_volume: 3,
          total_document_count: 3_000_000_000,
          metadata: { m: { b: 2 } },
          sync_cursor: { page: 9 },
        };
        expectEnd(await complete(id, body), 'updated', 'completed');

        const got = await read200(id);
        const { sync_cursor: cursor, metadata: _merged, ...counters } = body;
        expect(got).toMatchObject({ status: 'completed', worker_hostname: 'worker-1', started_at: claimed.started_at, ...counters, metadata: { kept: 1, m: { a: 1, b: 2 } } });
        // the end's cursor replaces the claim's (no key of the claim's is left)
        expect(got.connector.sync_cursor).toEqual(cursor);
        expect(typeof got.completed_at).toBe('string');
        expect(Date.parse(got.completed_at)).toBeGreaterThan(Date.parse(claimed.started_at));
        expect(got.last_seen).toBe(got.completed_at);
        expect(got.error ?? null).toBeNull();
        expect(got.canceled_at ?? null).toBeNull();

        expect(await syncInfo(connector)).toEqual({
          last_sync_status: 'completed',
          last_synced: got.completed_at,
          last_indexed_document_count: 25,
          last_deleted_document_count: 1,
          sync_cursor: { page: 9 },
          status: 'connected',
        });

        // a worker retrying after a lost answer: noop, nothing changes
        await tick();
        expectEnd(await complete(id, body), 'noop', 'completed');
        expectEnd(await complete(id), 'noop', 'completed');
        expect(await read200(id)).toEqual(got);
        expect((await syncInfo(connector)).last_synced).toBe(got.completed_at);
      });

      it('a complete without a body keeps the counters the stats set and the claim cursor, which the connector records', async () => {
        const { connector, id } = await claimedJob();
        expectUpdated(await stats(id, STATS));
        expectEnd(await complete(id), 'updated', 'completed');
        const got = await read200(id);
        expect(got).toMatchObject({ ...STATS, status: 'completed' });
        expect(got.connector.sync_cursor).toEqual({ page: 1 });
        expect(await syncInfo(connector)).toMatchObject({ last_sync_status: 'completed', last_indexed_document_count: 20, last_deleted_document_count: 10, sync_cursor: { page: 1 } });
      });

      it('suspend, then resume by a claim (started_at again), then complete with the new claim as fence', async () => {
        const { connector, id, startedAt } = await claimedJob();
        expectEnd(await suspend(id, { indexed_document_count: 5, sync_cursor: { page: 3 } }, fence(startedAt)), 'updated', 'suspended');
        const suspended = await read200(id);
        expect(suspended).toMatchObject({ status: 'suspended', indexed_document_count: 5, started_at: startedAt, worker_hostname: 'worker-1' });
        expect(suspended.connector.sync_cursor).toEqual({ page: 3 });
        expect(suspended.completed_at ?? null).toBeNull();
        expect(suspended.error ?? null).toBeNull();
        expect(Date.parse(suspended.last_seen)).toBeGreaterThan(Date.parse(startedAt));
        // suspended: no counts and no cursor on the connector
        expect(await syncInfo(connector)).toEqual({ last_sync_status: 'suspended', last_synced: suspended.last_seen, status: 'connected' });
        expectEnd(await suspend(id), 'noop', 'suspended');
        expect(await read200(id)).toEqual(suspended);

        await tick();
        expectUpdated(await claim(id, { worker_hostname: 'worker-2' }));
        const resumed = await read200(id);
        expect(resumed).toMatchObject({ status: 'in_progress', worker_hostname: 'worker-2', indexed_document_count: 5 });
        expect(Date.parse(resumed.started_at)).toBeGreaterThan(Date.parse(startedAt));
        expect(resumed.last_seen).toBe(resumed.started_at);
        expect(resumed.connector.sync_cursor).toEqual({ page: 3 });
        expect((await syncInfo(connector)).last_sync_status).toBe('in_progress');

        expectEnd(await complete(id, undefined, fence(resumed.started_at)), 'updated', 'completed');
        expect(await syncInfo(connector)).toMatchObject({ last_sync_status: 'completed', last_indexed_document_count: 5, sync_cursor: { page: 3 } });
      });

      it("a cancel of a suspended job ends it canceled, and the connector records it", async () => {
        const { connector, id } = await claimedJob();
        expectEnd(await suspend(id, { indexed_document_count: 4 }), 'updated', 'suspended');
        await tick();
        expectUpdated(await cancel(id));
        const got = await read200(id);
        expect(got.status).toBe('canceled');
        expect(await syncInfo(connector)).toEqual({
          last_sync_status: 'canceled',
          last_synced: got.completed_at,
          last_indexed_document_count: 4,
          last_deleted_document_count: 0,
          status: 'connected',
        });
      });

      it("a user's cancel of a running job, then the worker's complete: the job ends canceled; repeated ends are noop", async () => {
        const { connector, id } = await claimedJob();
        expectUpdated(await cancel(id));
        const canceling = await read200(id);
        expect(canceling.status).toBe('canceling');
        await tick();
        expectEnd(await complete(id, { indexed_document_count: 7, sync_cursor: { page: 2 } }), 'updated', 'canceled');
        const got = await read200(id);
        expect(got).toMatchObject({ status: 'canceled', indexed_document_count: 7, cancelation_requested_at: canceling.cancelation_requested_at });
        expect(typeof got.canceled_at).toBe('string');
        expect(got.completed_at).toBe(got.canceled_at);
        expect(got.last_seen).toBe(got.canceled_at);
        expect(Date.parse(got.canceled_at)).toBeGreaterThan(Date.parse(canceling.cancelation_requested_at));
        expect(got.error ?? null).toBeNull();
        // canceled, not completed: the connector keeps no cursor
        expect(await syncInfo(connector)).toEqual({
          last_sync_status: 'canceled',
          last_synced: got.completed_at,
          last_indexed_document_count: 7,
          last_deleted_document_count: 0,
          status: 'connected',
        });
        expectEnd(await complete(id), 'noop', 'canceled');
        expectEnd(await suspend(id), 'noop', 'canceled');
        expect(await read200(id)).toEqual(got);
      });

      it('a suspend of a canceling job ends it canceled too, and the connector records canceled', async () => {
        const { connector, id } = await claimedJob();
        expectUpdated(await cancel(id));
        expectEnd(await suspend(id, { indexed_document_count: 6 }), 'updated', 'canceled');
        const got = await read200(id);
        expect(got.status).toBe('canceled');
        expect(got.completed_at).toBe(got.canceled_at);
        expect(await syncInfo(connector)).toEqual({
          last_sync_status: 'canceled',
          last_synced: got.completed_at,
          last_indexed_document_count: 6,
          last_deleted_document_count: 0,
          status: 'connected',
        });
      });

      it('a connector deleted meanwhile is left alone; its job still ends', async () => {
        const { connector, id } = await claimedJob();
        const before = await syncInfo(connector);
        expect((await call('DELETE', `/_connector/${connector}`)).json).toEqual({ acknowledged: true });
        expectEnd(await complete(id, { indexed_document_count: 1 }), 'updated', 'completed');
        expect((await read200(id)).status).toBe('completed');
        const res = await call('GET', `/_connector/${connector}?include_deleted=true`);
        expect(res.status).toBe(200);
        expect(res.json.deleted).toBe(true);
        const after: Record<string, unknown> = {};
        for (const f of SYNC_INFO_FIELDS) if (res.json[f] !== undefined && res.json[f] !== null) after[f] = res.json[f];
        expect(after).toEqual(before);
      });

      it('claim-next records the claim on the connector, and its job ends like any other', async () => {
        const { connector, id } = await freshJob();
        const res = await call('POST', '/_connector/_sync_job/_claim_next', { worker_hostname: 'worker-n', filters: { connector_ids: [connector] } });
        expect(res.status).toBe(200);
        expect(res.json.job).toMatchObject({ id, status: 'in_progress', worker_hostname: 'worker-n' });
        expect(await syncInfo(connector)).toEqual({ last_sync_status: 'in_progress', status: 'connected' });
        expectEnd(await complete(id, { indexed_document_count: 2 }, fence(res.json.job.started_at)), 'updated', 'completed');
        expect(await syncInfo(connector)).toMatchObject({ last_sync_status: 'completed', last_indexed_document_count: 2 });
      });

      it('a job canceled before any claim leaves the connector alone', async () => {
        const { connector, id } = await freshJob();
        expectUpdated(await cancel(id));
        expect((await read200(id)).status).toBe('canceled');
        expect(await syncInfo(connector)).toEqual({ status: 'created' });
      });

      it('_error sets completed_at = last_seen, and the connector records the error; a repeated _error is 400 error -> error', async () => {
        const { connector, id, startedAt } = await claimedJob();
        expectUpdated(await error(id, { error: 'the source went away' }));
        const got = await read200(id);
        expect(got).toMatchObject({ status: 'error', error: 'the source went away' });
        expect(typeof got.completed_at).toBe('string');
        expect(got.last_seen).toBe(got.completed_at);
        expect(Date.parse(got.completed_at)).toBeGreaterThan(Date.parse(startedAt));
        expect(await syncInfo(connector)).toEqual({
          last_sync_status: 'error',
          last_sync_error: 'the source went away',
          last_synced: got.completed_at,
          last_indexed_document_count: 0,
          last_deleted_document_count: 0,
          status: 'error',
          error: 'the source went away',
        });
        const again = await error(id, { error: 'the source went away' });
        expect(again.json).toEqual(invalidTransitionBody('error', 'error'));
        expect((await complete(id)).json).toEqual(invalidTransitionBody('error', 'completed'));
        expect((await suspend(id)).json).toEqual(invalidTransitionBody('error', 'suspended'));
        expect(await read200(id)).toEqual(got);
      });

      it("_error of a canceling job: error, with its end time", async () => {
        const { id } = await claimedJob();
        expectUpdated(await cancel(id));
        expectUpdated(await error(id, { error: 'stopped' }));
        const got = await read200(id);
        expect(got).toMatchObject({ status: 'error', error: 'stopped' });
        expect(got.last_seen).toBe(got.completed_at);
        expect(got.canceled_at ?? null).toBeNull();
      });

      it('an access_control job writes the access-control pair, not the content one', async () => {
        const { connector, id } = await claimedJob('access_control');
        expect(await syncInfo(connector)).toEqual({ last_access_control_sync_status: 'in_progress', status: 'connected' });
        expectEnd(await complete(id, { indexed_document_count: 3, sync_cursor: { acl: 1 } }), 'updated', 'completed');
        const got = await read200(id);
        // an access-control job's cursor stays on the job
        expect(await syncInfo(connector)).toEqual({
          last_access_control_sync_status: 'completed',
          last_synced: got.completed_at,
          last_indexed_document_count: 3,
          last_deleted_document_count: 0,
          status: 'connected',
        });
      });

      it("DELETE of a running job: the connector records Couldn't find the job", async () => {
        const { connector, id } = await claimedJob();
        expect((await remove(id)).json).toEqual({ acknowledged: true });
        const info = await syncInfo(connector);
        expect(info).toMatchObject({ last_sync_status: 'error', last_sync_error: "Couldn't find the job" });
        expect(typeof info.last_synced).toBe('string');
      });

      it('the fence: if_started_at of the claim -> 200 on _stats, _check_in, _complete', async () => {
        const { id, startedAt } = await claimedJob();
        expectUpdated(await call('PUT', `${job(id)}/_stats${fence(startedAt)}`, STATS));
        expectUpdated(await call('PUT', `${job(id)}/_check_in${fence(startedAt)}`));
        expectEnd(await complete(id, undefined, fence(startedAt)), 'updated', 'completed');
        // a repeated end with the same fence: still noop
        expectEnd(await complete(id, undefined, fence(startedAt)), 'noop', 'completed');
      });

      it('the fence compares instants: the claim\'s started_at written with an offset and more digits -> 200', async () => {
        const { id, startedAt } = await claimedJob();
        // 2026-12-06T07:15:05.123Z as 2026-12-06T09:15:05.123000+02:00: the same instant
        const seconds = new Date(Date.parse(startedAt) + 2 * 3600_000).toISOString().slice(0, 19);
        const micros = (/\.(\d+)Z$/.exec(startedAt)?.[1] ?? '').padEnd(6, '0');
        const other = `${seconds}.${micros}+02:00`;
        expect(other).not.toBe(startedAt);
        expectUpdated(await call('PUT', `${job(id)}/_check_in${fence(other)}`));
        expectEnd(await complete(id, undefined, fence(other)), 'updated', 'completed');
      });

      it('the fence: _error with the claim -> 200', async () => {
        const { id, startedAt } = await claimedJob();
        expectUpdated(await call('PUT', `${job(id)}/_error${fence(startedAt)}`, { error: 'e' }));
        expect((await read200(id)).status).toBe('error');
      });

      it('the fence: a job claimed again since -> 409 version_conflict_engine_exception on every fenced route, nothing written', async () => {
        const { connector, id, startedAt: first } = await claimedJob();
        expectEnd(await suspend(id), 'updated', 'suspended');
        await tick();
        expectUpdated(await claim(id, { worker_hostname: 'worker-2' }));
        const before = await read200(id);
        const infoBefore = await syncInfo(connector);
        expect(before.started_at).not.toBe(first);
        await tick();
        for (const [action, body] of [
          ['_stats', STATS],
          ['_check_in', undefined],
          ['_error', { error: 'e' }],
          ['_complete', { indexed_document_count: 1 }],
          ['_suspend', undefined],
        ] as const) {
          const e = expectErrorShape(await call('PUT', `${job(id)}/${action}${fence(first)}`, body), 409);
          expect({ action, type: e.type }).toEqual({ action, type: 'version_conflict_engine_exception' });
          expect(e.reason).toBe(`[${id}]: version conflict, required started_at [${first}], current started_at [${before.started_at}]`);
        }
        expect(await read200(id)).toEqual(before);
        expect(await syncInfo(connector)).toEqual(infoBefore);
        // the current claim goes through
        expectEnd(await complete(id, undefined, fence(before.started_at)), 'updated', 'completed');
      });

      it('the fence: a job never claimed -> 409; a garbage value -> 400 before anything; not taken by _claim or _cancel', async () => {
        const { id } = await freshJob();
        const before = await read200(id);
        const e = expectErrorShape(await complete(id, undefined, fence('2026-01-01T00:00:00Z')), 409);
        expect(e.type).toBe('version_conflict_engine_exception');
        for (const action of ['_stats', '_check_in', '_error', '_complete', '_suspend']) {
          const res = await call('PUT', `${job(id)}/${action}?if_started_at=yesterday`, action === '_stats' ? STATS : action === '_error' ? { error: 'e' } : undefined);
          expectValidation(res, 'Validation Failed: 1: [if_started_at] must be an ISO-8601 instant, got [yesterday].;');
        }
        for (const [action, body] of [
          ['_claim', { worker_hostname: 'h' }],
          ['_cancel', undefined],
        ] as const) {
          const res = expectErrorShape(await call('PUT', `${job(id)}/${action}${fence('2026-01-01T00:00:00Z')}`, body), 400);
          expect(res.type).toBe('illegal_argument_exception');
          expect(res.reason).toBe(`request [/_connector/_sync_job/${id}/${action}] contains unrecognized parameter: [if_started_at]`);
        }
        expect(await read200(id)).toEqual(before);
      });

      it('strict bodies: an unknown field -> 400 naming the parser; checked before the lookup', async () => {
        const { id } = await claimedJob();
        for (const [action, parser] of [
          ['_complete', 'connector_sync_job_complete_request'],
          ['_suspend', 'connector_sync_job_suspend_request'],
        ] as const) {
          for (const target of [id, 'test-nonexistent-connector-sync-job-id']) {
            const e = expectErrorShape(await call('PUT', `${job(target)}/${action}`, { indexed_document_count: 1, x: 1 }), 400);
            expect(e.type).toBe('x_content_parse_exception');
            expect(e.reason).toContain(`[${parser}] unknown field [x]`);
          }
          const wrong = expectErrorShape(await call('PUT', `${job(id)}/${action}`, { metadata: 'abc' }), 400);
          expect(wrong.type).toBe('x_content_parse_exception');
          expect(wrong.reason).toContain(`[${parser}] metadata doesn't support values of type: VALUE_STRING`);
        }
        expect((await read200(id)).status).toBe('in_progress');
      });

      for (const field of ['deleted_document_count', 'indexed_document_count', 'indexed_document_volume', 'total_document_count']) {
        it(`strict bodies: a negative ${field} -> 400 [${field}] cannot be negative., nothing written`, async () => {
          const { id } = await claimedJob();
          const before = await read200(id);
          expectValidation(await complete(id, { [field]: -1 }), `Validation Failed: 1: [${field}] cannot be negative.;`);
          expectValidation(await suspend(id, { [field]: -1 }), `Validation Failed: 1: [${field}] cannot be negative.;`);
          expect(await read200(id)).toEqual(before);
        });
      }

      it('a missing job -> 404; a pending job -> 400 invalid transition, nothing written', async () => {
        expectJobNotFound(await complete('test-nonexistent-connector-sync-job-id'), 'test-nonexistent-connector-sync-job-id');
        expectJobNotFound(await suspend('test-nonexistent-connector-sync-job-id', { indexed_document_count: 1 }), 'test-nonexistent-connector-sync-job-id');
        const { connector, id } = await freshJob();
        const before = await read200(id);
        let res = await complete(id, { indexed_document_count: 1 });
        expectErrorShape(res, 400);
        expect(res.json).toEqual(invalidTransitionBody('pending', 'completed'));
        res = await suspend(id);
        expect(res.json).toEqual(invalidTransitionBody('pending', 'suspended'));
        expect(await read200(id)).toEqual(before);
        expect(await syncInfo(connector)).toEqual({ status: 'created' });
      });

      it('other methods on the extension paths are what upstream answers for an unknown path (400 no handler found)', async () => {
        const id = await post();
        for (const action of ['_complete', '_suspend']) {
          for (const method of ['GET', 'POST', 'DELETE']) {
            const path = `${job(id)}/${action}`;
            const res = await call(method, path);
            // upstream's flat body (RestController.handleBadRequest), as for any unknown path
            expect({ status: res.status, body: res.json }).toEqual({ status: 400, body: { error: `no handler found for uri [${path}] and method [${method}]` } });
          }
        }
        expect((await read200(id)).status).toBe('pending');
      });

      it('ten concurrent _complete of one running job: exactly one updated, nine noop, never a 409', async () => {
        const { connector, id } = await claimedJob();
        const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => complete(id, { indexed_document_count: i })));
        expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
        expect(answers.filter((r) => r.json.result === 'updated')).toHaveLength(1);
        expect(answers.filter((r) => r.json.result === 'noop')).toHaveLength(9);
        for (const r of answers) expect(r.json.status).toBe('completed');
        const winner = answers.findIndex((r) => r.json.result === 'updated');
        const got = await read200(id);
        expect(got).toMatchObject({ status: 'completed', indexed_document_count: winner });
        expect((await syncInfo(connector)).last_indexed_document_count).toBe(winner);
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
        ['PUT', (id) => `/_connector/_sync_job/${id}/_complete`, undefined],
        ['PUT', (id) => `/_connector/_sync_job/${id}/_suspend`, { indexed_document_count: 1 }],
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
