/**
 * The official `@elastic/elasticsearch` client (the project's own dependency, unchanged) against
 * the HTTP server: all nine `connector.syncJob*` methods, as an application or a connector
 * service calls them, with API keys on; and this project's extensions (`_complete`, `_suspend`,
 * the fence `if_started_at`), which the client has no methods for, through its transport.
 */
import { Client, errors } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer } from '../../../src/index.js';
import { memoryModule } from '../../../adapters/memory/index.js';
import { startServer } from './harness.js';
import type { TestServer } from './harness.js';

const WRITE_KEY = 'client-writer';
const READ_KEY = 'client-reader';

/** The error a client call rejects with: its HTTP status and Elasticsearch error type. */
async function failure(call: Promise<unknown>): Promise<{ status: number | undefined; type: unknown; reason: unknown }> {
  const error = await call.then(
    () => expect.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(errors.ResponseError);
  const e = error as InstanceType<typeof errors.ResponseError>;
  const body = e.meta.body as { error?: { type?: unknown; reason?: unknown } };
  return { status: e.meta.statusCode, type: body.error?.type, reason: body.error?.reason };
}

describe('the official client drives the sync job lifecycle (connector.syncJob*)', () => {
  let server: TestServer;
  let client: Client;
  let reader: Client;

  beforeAll(async () => {
    server = await startServer(() => createContainer(memoryModule()), {
      apiKeys: [
        { key: WRITE_KEY, role: 'write' },
        { key: READ_KEY, role: 'read' },
      ],
    });
    client = new Client({ node: server.url, auth: { apiKey: WRITE_KEY }, maxRetries: 0 });
    reader = new Client({ node: server.url, auth: { apiKey: READ_KEY }, maxRetries: 0 });
    await client.connector.put({
      connector_id: 'my-connector',
      index_name: 'search-test',
      name: 'my-connector',
      language: 'en',
      is_native: false,
      service_type: 'google_drive',
    });
  });
  afterAll(async () => {
    await client?.close();
    await reader?.close();
    await server?.close();
  });

  it('post, get, claim, stats, check-in, list, error, cancel, delete', async () => {
    // syncJobPost
    const { id } = await client.connector.syncJobPost({ id: 'my-connector', job_type: 'full', trigger_method: 'on_demand' });
    expect(typeof id).toBe('string');

    // syncJobGet
    const created = await client.connector.syncJobGet({ connector_sync_job_id: id });
    expect(created).toMatchObject({ id, status: 'pending', job_type: 'full', trigger_method: 'on_demand' });
    expect(created.connector).toMatchObject({ id: 'my-connector', index_name: 'search-test' });

    // syncJobClaim
    expect(await client.connector.syncJobClaim({ connector_sync_job_id: id, worker_hostname: 'worker-1', sync_cursor: { page: 1 } })).toEqual({ result: 'updated' });
    const claimed = await client.connector.syncJobGet({ connector_sync_job_id: id });
    expect(claimed).toMatchObject({ status: 'in_progress', worker_hostname: 'worker-1', connector: { sync_cursor: { page: 1 } } });

    // syncJobUpdateStats (last_seen with microseconds, as upstream's Instant keeps it)
    expect(
      await client.connector.syncJobUpdateStats({
        connector_sync_job_id: id,
        deleted_document_count: 1,
        indexed_document_count: 20,
        indexed_document_volume: 300,
        total_document_count: 20,
        last_seen: '2023-12-04T08:45:50.567149Z',
        metadata: { page: 1 },
      }),
    ).toEqual({ result: 'updated' });
    const withStats = await client.connector.syncJobGet({ connector_sync_job_id: id });
    expect(withStats).toMatchObject({ indexed_document_count: 20, total_document_count: 20, last_seen: '2023-12-04T08:45:50.567149Z', metadata: { page: 1 } });

    // syncJobCheckIn
    expect(await client.connector.syncJobCheckIn({ connector_sync_job_id: id })).toEqual({ result: 'updated' });
    const checkedIn = await client.connector.syncJobGet({ connector_sync_job_id: id });
    expect(checkedIn.last_seen).not.toBe('2023-12-04T08:45:50.567149Z');

    // syncJobList (the client joins a job_type array with commas)
    const listed = await client.connector.syncJobList({ connector_id: 'my-connector', status: 'in_progress', job_type: ['full', 'incremental'] });
    expect(listed.count).toBe(1);
    expect(listed.results.map((j) => j.id)).toEqual([id]);

    // syncJobError
    expect(await client.connector.syncJobError({ connector_sync_job_id: id, error: 'the source went away' })).toEqual({ result: 'updated' });
    expect(await client.connector.syncJobGet({ connector_sync_job_id: id })).toMatchObject({ status: 'error', error: 'the source went away' });

    // syncJobCancel: a pending job is canceled at once; a terminal one refuses as upstream does
    const { id: second } = await client.connector.syncJobPost({ id: 'my-connector' });
    expect(await client.connector.syncJobCancel({ connector_sync_job_id: second })).toEqual({ result: 'updated' });
    expect(await client.connector.syncJobGet({ connector_sync_job_id: second })).toMatchObject({ status: 'canceled' });
    expect(await failure(client.connector.syncJobCancel({ connector_sync_job_id: second }))).toEqual({
      status: 400,
      type: 'status_exception',
      reason: 'Invalid transition attempt from [canceled] to [canceling]. Such a ConnectorSyncStatus transition is not supported by the Connector Protocol.',
    });

    // syncJobDelete
    expect(await client.connector.syncJobDelete({ connector_sync_job_id: id })).toEqual({ acknowledged: true });
    expect(await failure(client.connector.syncJobGet({ connector_sync_job_id: id }))).toEqual({
      status: 404,
      type: 'resource_not_found_exception',
      reason: `connector sync job [${id}] not found`,
    });
    const rest = await client.connector.syncJobList({ connector_id: 'my-connector' });
    expect(rest.count).toBe(1);
    expect(rest.results.map((j) => j.id)).toEqual([second]);
  });

  it("the extensions through the client's transport: _complete and _suspend, the fence, the connector's sync info", async () => {
    await client.connector.put({ connector_id: 'ended-connector', index_name: 'search-ended', service_type: 'google_drive', language: 'en' });
    const { id } = await client.connector.syncJobPost({ id: 'ended-connector', job_type: 'full' });
    await client.connector.syncJobClaim({ connector_sync_job_id: id, worker_hostname: 'worker-1' });
    const startedAt = (await client.connector.syncJobGet({ connector_sync_job_id: id })).started_at as string;
    const end = (action: '_complete' | '_suspend', body: Record<string, unknown> | undefined, ifStartedAt: string, as: Client = client) =>
      as.transport.request({
        method: 'PUT',
        path: `/_connector/_sync_job/${encodeURIComponent(id)}/${action}`,
        ...(body === undefined ? {} : { body }),
        querystring: { if_started_at: ifStartedAt },
      });

    // upstream's methods take the fence as a request option
    expect(await client.connector.syncJobCheckIn({ connector_sync_job_id: id }, { querystring: { if_started_at: startedAt } })).toEqual({ result: 'updated' });
    expect(
      await client.connector.syncJobUpdateStats(
        { connector_sync_job_id: id, deleted_document_count: 0, indexed_document_count: 5, indexed_document_volume: 1 },
        { querystring: { if_started_at: startedAt } },
      ),
    ).toEqual({ result: 'updated' });

    // suspend, resume by a claim; the first claim's fence is now a 409 and writes nothing
    expect(await end('_suspend', undefined, startedAt)).toEqual({ result: 'updated', status: 'suspended' });
    expect(await end('_suspend', undefined, startedAt)).toEqual({ result: 'noop', status: 'suspended' });
    await client.connector.syncJobClaim({ connector_sync_job_id: id, worker_hostname: 'worker-2' });
    const resumed = await client.connector.syncJobGet({ connector_sync_job_id: id });
    expect(resumed.started_at).not.toBe(startedAt);
    expect(await failure(end('_complete', { indexed_document_count: 1 }, startedAt))).toMatchObject({ status: 409, type: 'version_conflict_engine_exception' });
    expect(await failure(client.connector.syncJobCheckIn({ connector_sync_job_id: id }, { querystring: { if_started_at: startedAt } }))).toMatchObject({
      status: 409,
      type: 'version_conflict_engine_exception',
    });
    expect(await client.connector.syncJobGet({ connector_sync_job_id: id })).toEqual(resumed);

    // a read key may not end a job; a strict body is checked first
    expect(await failure(end('_complete', undefined, resumed.started_at as string, reader))).toMatchObject({ status: 403, type: 'security_exception' });
    expect(await failure(end('_complete', { indexed_document_count: -1 }, resumed.started_at as string))).toEqual({
      status: 400,
      type: 'action_request_validation_exception',
      reason: 'Validation Failed: 1: [indexed_document_count] cannot be negative.;',
    });

    // the worker of the current claim completes it; a retry is noop
    const body = { indexed_document_count: 12, deleted_document_count: 2, indexed_document_volume: 3, sync_cursor: { page: 4 } };
    expect(await end('_complete', body, resumed.started_at as string)).toEqual({ result: 'updated', status: 'completed' });
    expect(await end('_complete', body, resumed.started_at as string)).toEqual({ result: 'noop', status: 'completed' });
    const done = await client.connector.syncJobGet({ connector_sync_job_id: id });
    expect(done).toMatchObject({ status: 'completed', worker_hostname: 'worker-2', indexed_document_count: 12, connector: { sync_cursor: { page: 4 } } });

    // the connector's sync info, read with the client's connector.get
    expect(await client.connector.get({ connector_id: 'ended-connector' })).toMatchObject({
      id: 'ended-connector',
      last_sync_status: 'completed',
      last_synced: done.completed_at,
      last_indexed_document_count: 12,
      last_deleted_document_count: 2,
      sync_cursor: { page: 4 },
      status: 'connected',
    });
  });

  it('a read key lists and gets; it may not change a job (403)', async () => {
    const { id } = await client.connector.syncJobPost({ id: 'my-connector' });
    expect((await reader.connector.syncJobGet({ connector_sync_job_id: id })).id).toBe(id);
    expect((await reader.connector.syncJobList({ status: 'pending' })).results.map((j) => j.id)).toContain(id);
    for (const call of [
      reader.connector.syncJobCancel({ connector_sync_job_id: id }),
      reader.connector.syncJobCheckIn({ connector_sync_job_id: id }),
      reader.connector.syncJobClaim({ connector_sync_job_id: id, worker_hostname: 'w' }),
      reader.connector.syncJobError({ connector_sync_job_id: id, error: 'e' }),
      reader.connector.syncJobUpdateStats({ connector_sync_job_id: id, deleted_document_count: 0, indexed_document_count: 0, indexed_document_volume: 0 }),
      reader.connector.syncJobDelete({ connector_sync_job_id: id }),
      reader.connector.syncJobPost({ id: 'my-connector' }),
    ]) {
      expect(await failure(call)).toMatchObject({ status: 403, type: 'security_exception' });
    }
    expect(await client.connector.syncJobGet({ connector_sync_job_id: id })).toMatchObject({ status: 'pending' });
  });
});
