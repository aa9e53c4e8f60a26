/**
 * `POST _connector/_sync_job/_claim_next` (this project's extension) over HTTP: claim,
 * filters, validation, auth as _claim, and the long poll: a waiting worker gets a job created
 * after it started waiting; a client going away ends its wait; stopping the server ends every
 * wait with a 503.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Container } from 'inversify';
import { coreModule, TOKENS } from '../../../src/index.js';
import type { SyncJobQueue } from '../../../src/index.js';
import { memoryModule } from '../../../adapters/memory/index.js';
import { expectErrorShape, startServer } from './harness.js';
import type { TestServer } from './harness.js';

let watching = 0;
/** A memory container whose queue counts the waits that started (so a test knows workers are waiting). */
const memory = (): Container => {
  const c = new Container();
  c.load(coreModule(), memoryModule());
  const queue = c.get<SyncJobQueue>(TOKENS.SyncJobQueue);
  const watch = queue.watch.bind(queue);
  watching = 0;
  queue.watch = async () => {
    watching++;
    return watch();
  };
  return c;
};

async function untilWaiting(n: number): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (watching < n) {
    if (performance.now() > deadline) throw new Error(`only ${watching} of ${n} workers started waiting`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const CLAIM_NEXT = '/_connector/_sync_job/_claim_next';

async function setUp(s: TestServer, connectors: Array<[string, string]> = [['c1', 'google_drive']]): Promise<void> {
  for (const [id, serviceType] of connectors) {
    const r = await s.request('PUT', `/_connector/${id}`, { body: { index_name: `search-${id}`, service_type: serviceType } });
    expect(r.status).toBeLessThan(300);
  }
}

async function createJob(s: TestServer, connectorId = 'c1', jobType = 'full'): Promise<string> {
  const r = await s.request('POST', '/_connector/_sync_job', { body: { id: connectorId, job_type: jobType } });
  expect(r.status).toBe(201);
  return r.json.id as string;
}

describe('POST _connector/_sync_job/_claim_next', () => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('claims the oldest pending job and answers it as GET does; {"job": null} when none', async () => {
    s = await startServer(memory);
    await setUp(s);
    const first = await createJob(s);
    await createJob(s);
    const r = await s.request('POST', CLAIM_NEXT, { body: { worker_hostname: 'host-a', sync_cursor: { page: 1 } } });
    expect(r.status).toBe(200);
    expect(r.json.job.id).toBe(first);
    expect(r.json.job).toMatchObject({ status: 'in_progress', worker_hostname: 'host-a', connector: { id: 'c1', sync_cursor: { page: 1 } } });
    expect((await s.request('GET', `/_connector/_sync_job/${first}`)).json).toEqual(r.json.job);
    await s.request('POST', CLAIM_NEXT, { body: { worker_hostname: 'host-a' } });
    const none = await s.request('POST', CLAIM_NEXT, { body: { worker_hostname: 'host-a' } });
    expect(none.status).toBe(200);
    expect(none.json).toEqual({ job: null });
  });

  it('honours filters', async () => {
    s = await startServer(memory);
    await setUp(s, [['c1', 'google_drive'], ['c2', 'sharepoint']]);
    await createJob(s, 'c1');
    const acl = await createJob(s, 'c2', 'access_control');
    const r = await s.request('POST', CLAIM_NEXT, {
      body: { worker_hostname: 'w', filters: { service_types: ['sharepoint'], job_types: ['ACCESS_CONTROL'] } },
    });
    expect(r.json.job.id).toBe(acl);
    const none = await s.request('POST', CLAIM_NEXT, { body: { worker_hostname: 'w', filters: { connector_ids: ['c2'] } } });
    expect(none.json.job).toBeNull();
  });

  it('refuses a bad body with 400 before touching storage', async () => {
    s = await startServer(memory);
    for (const body of [{}, { worker_hostname: '' }, { worker_hostname: 'w', extra: 1 }, { worker_hostname: 'w', wait_timeout: '2h' },
      { worker_hostname: 'w', filters: { job_types: ['nightly'] } }]) {
      const r = await s.request('POST', CLAIM_NEXT, { body });
      expectErrorShape(r, 400);
    }
  });

  it('leaves other methods on the path to upstream: GET is a get of the job with that id', async () => {
    s = await startServer(memory);
    const r = await s.request('GET', CLAIM_NEXT);
    expectErrorShape(r, 404);
    expect(r.json.error.reason).toBe('connector sync job [_claim_next] not found');
  });

  it('needs a write key, as _claim does', async () => {
    s = await startServer(memory, { apiKeys: [{ key: 'wk', role: 'write' }, { key: 'rk', role: 'read' }] });
    expect((await s.request('POST', CLAIM_NEXT, { body: { worker_hostname: 'w' } })).status).toBe(401);
    expect((await s.request('POST', CLAIM_NEXT, { body: { worker_hostname: 'w' }, headers: { authorization: 'ApiKey rk' } })).status).toBe(403);
    expect((await s.request('POST', CLAIM_NEXT, { body: { worker_hostname: 'w' }, headers: { authorization: 'ApiKey wk' } })).status).toBe(200);
  });

  describe('long poll (wait_timeout)', () => {
    it('a waiting worker gets a job created after it started waiting', async () => {
      s = await startServer(memory);
      await setUp(s);
      const waiting = s.request('POST', CLAIM_NEXT, { body: { worker_hostname: 'w', wait_timeout: '10s' } });
      await untilWaiting(1);
      const id = await createJob(s);
      const r = await waiting;
      expect(r.status).toBe(200);
      expect(r.json.job.id).toBe(id);
    });

    it('answers {"job": null} when the wait passes with nothing to claim', async () => {
      s = await startServer(memory);
      const started = performance.now();
      const r = await s.request('POST', CLAIM_NEXT, { body: { worker_hostname: 'w', wait_timeout: 150 } });
      expect(r.json).toEqual({ job: null });
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('a client that goes away ends its wait: the job created later goes to the next worker', async () => {
      s = await startServer(memory);
      await setUp(s);
      const ac = new AbortController();
      const gone = fetch(s.url + CLAIM_NEXT, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ worker_hostname: 'gone', wait_timeout: '30s' }),
        signal: ac.signal,
      }).catch((e: unknown) => e);
      await untilWaiting(1);
      ac.abort();
      await gone;
      await new Promise((r) => setTimeout(r, 100));
      const id = await createJob(s);
      const job = (await s.request('GET', `/_connector/_sync_job/${id}`)).json;
      expect(job.status).toBe('pending'); // the departed waiter did not take it
      const r = await s.request('POST', CLAIM_NEXT, { body: { worker_hostname: 'next' } });
      expect(r.json.job.id).toBe(id);
    });

    it('stopping the server ends every wait at once with a 503 node_closed_exception', async () => {
      s = await startServer(memory);
      const waits = [1, 2, 3].map(() => s!.request('POST', CLAIM_NEXT, { body: { worker_hostname: 'w', wait_timeout: '60s' } }));
      await untilWaiting(3);
      const started = performance.now();
      const closing = s.close();
      s = undefined;
      const answers = await Promise.all(waits);
      await closing;
      expect(performance.now() - started).toBeLessThan(5000);
      for (const r of answers) {
        const e = expectErrorShape(r, 503);
        expect(e.type).toBe('node_closed_exception');
        expect(r.headers.get('retry-after')).toBe('1');
      }
    });
  });
});
