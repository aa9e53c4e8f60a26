import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeContainer, createContainer, decodeConnectorDocument, Instant, TOKENS, toConnectorResponse } from '../../../src/index.js';
import type { ConnectorStore, SyncJobStore } from '../../../src/index.js';
import { memoryModule } from '../../../adapters/memory/index.js';
import { delegatingSyncJobStore, expectedDocument, vectors } from 'connector-sync-jobs/testing';
import { expectErrorShape, jobCount, memoryContainerAt, reasonChain, startServer } from './harness.js';
import type { TestServer } from './harness.js';

const NOW = Instant.parse('2026-01-02T03:04:05.678Z')!;
const memory = memoryContainerAt(NOW);
const PLAIN = { index_name: 'search-test', language: 'de', service_type: 'super-connector' };

describe('the spec\'s worked examples over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(memory);
    // the vectors are stored connector documents (not setup calls, which add upstream's defaults)
    const store = server.container.get<ConnectorStore>(TOKENS.ConnectorStore);
    for (const [id, doc] of Object.entries(vectors.connectors)) {
      expect(await store.upsert(decodeConnectorDocument(id, doc))).toBe('created');
    }
  });
  afterAll(() => server.close());

  for (const c of vectors.cases) {
    it(c.name, async () => {
      const before = jobCount(server);
      const res = await server.request('POST', '/_connector/_sync_job', { body: c.request });
      if (c.expect.document) {
        expect(res.status).toBe(201);
        expect(Object.keys(res.json)).toEqual(['id']);
        const job = await server.request('GET', `/_connector/_sync_job/${res.json.id}`);
        expect(job.status).toBe(200);
        expect(job.json).toEqual({ id: res.json.id, ...expectedDocument(c.expect.document, NOW) });
        expect(Object.keys(job.json)[0]).toBe('id');
      } else {
        const want = c.expect.error;
        const e = expectErrorShape(res, want.status);
        if (want.type) expect(e.type).toBe(want.type);
        if (want.reason) expect(e.reason).toBe(want.reason);
        if (want.contains) expect(reasonChain(e)).toContain(want.contains);
        expect(jobCount(server)).toBe(before);
      }
    });
  }
});

describe('HTTP adapter', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(memory, { bodyLimit: 4096 });
    await server.request('PUT', '/_connector/plain', { body: PLAIN });
  });
  afterAll(() => server.close());
  afterEach(async () => {
    // the server still answers after whatever the test sent
    expect((await server.request('GET', '/')).status).toBe(200);
  });
  const post = (body: unknown, headers?: Record<string, string>) => server.request('POST', '/_connector/_sync_job', { body, headers });

  it('GET / gives Elasticsearch\'s info shape', async () => {
    const res = await server.request('GET', '/');
    expect(res.json).toMatchObject({ name: 'connector-sync-jobs', version: { number: expect.stringMatching(/^9\.\d+\.\d+$/), build_flavor: 'default' } });
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
  });

  it('201 answers exactly {"id"}', async () => {
    const res = await post({ id: 'plain' });
    expect(res.status).toBe(201);
    expect(res.text).toBe(`{"id":"${res.json.id}"}`);
    expect(res.json.id).toMatch(/^[A-Za-z0-9_-]{20}$/);
  });

  it('malformed JSON -> 400 x_content_parse_exception with the position', async () => {
    const e = expectErrorShape(await post('{"id": "plain",\n  }'), 400);
    expect(e.type).toBe('x_content_parse_exception');
    expect(e.reason).toMatch(/^\[2:3\] Unexpected character \('\}' \(code 125\)\)/);
    expect(e.root_cause[0]).toEqual({ type: e.type, reason: e.reason });
  });

  it('trailing garbage and invalid escapes are parse errors', async () => {
    expect(expectErrorShape(await post('{"id":"plain"} x'), 400).reason).toMatch(/^\[1:16\] /);
    expect(expectErrorShape(await post('{"id":"\\x"}'), 400).type).toBe('x_content_parse_exception');
  });

  it('an empty body -> 400 parse_exception "request body is required"', async () => {
    for (const headers of [{}, { 'content-type': 'application/json' }] as Record<string, string>[]) {
      const res = await server.request('POST', '/_connector/_sync_job', { headers });
      const e = expectErrorShape(res, 400);
      expect(e).toMatchObject({ type: 'parse_exception', reason: 'request body is required' });
    }
  });

  it('a JSON value that is not an object -> 400', async () => {
    for (const [raw, token] of [['[]', 'START_ARRAY'], ['"plain"', 'VALUE_STRING'], ['42', 'VALUE_NUMBER'], ['null', 'VALUE_NULL'], ['true', 'VALUE_BOOLEAN']]) {
      const e = expectErrorShape(await post(raw), 400);
      expect(e.type).toBe('x_content_parse_exception');
      expect(e.reason).toBe(`[connector_sync_job_post_request] Expected START_OBJECT but was: ${token}`);
    }
  });

  it('a content type other than JSON -> 406; charset and the ES vendor type are accepted', async () => {
    const body = '{"id":"plain"}';
    const bad = await server.request('POST', '/_connector/_sync_job', { body, headers: { 'content-type': 'text/plain' } });
    expect(expectErrorShape(bad, 406).reason).toBe('Content-Type header [text/plain] is not supported');
    const form = await server.request('POST', '/_connector/_sync_job', { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectErrorShape(form, 406);
    for (const ct of ['application/json; charset=utf-8', 'application/vnd.elasticsearch+json; compatible-with=8']) {
      expect((await server.request('POST', '/_connector/_sync_job', { body, headers: { 'content-type': ct } })).status).toBe(201);
    }
  });

  it('a body over the limit -> 413', async () => {
    const before = jobCount(server);
    const res = await post(JSON.stringify({ id: 'plain', job_type: 'x'.repeat(5000) }));
    const e = expectErrorShape(res, 413);
    expect(e.reason).toBe('request body is larger than the limit of [4096] bytes');
    expect(jobCount(server)).toBe(before);
  });

  it('an unknown route -> upstream\'s flat 400, a wrong method -> upstream\'s flat 405 naming the allowed ones', async () => {
    const nf = await server.request('GET', '/_nope/x');
    expect(nf.status).toBe(400);
    expect(nf.json).toEqual({ error: 'no handler found for uri [/_nope/x] and method [GET]' });
    const m = await server.request('PATCH', '/_connector/_sync_job');
    expect(m.status).toBe(405);
    expect(m.json).toEqual({ error: 'Incorrect HTTP method for uri [/_connector/_sync_job] and method [PATCH], allowed: [GET, POST]', status: 405 });
    const d = await server.request('POST', '/_connector/_sync_job/abc');
    expect(d.json.error).toBe('Incorrect HTTP method for uri [/_connector/_sync_job/abc] and method [POST], allowed: [GET, DELETE]');
    for (const action of ['_cancel', '_check_in', '_claim', '_error', '_stats']) {
      const g = await server.request('GET', `/_connector/_sync_job/abc/${action}`);
      expect(g.status).toBe(405);
      expect(g.json.error).toBe(`Incorrect HTTP method for uri [/_connector/_sync_job/abc/${action}] and method [GET], allowed: [PUT]`);
      expect(g.headers.get('allow')).toBe('PUT');
    }
    const p = await server.request('POST', '/_connector/plain', { body: {} });
    expect(p.json.error).toContain('allowed: [GET, PUT, DELETE]');
    expect(p.headers.get('allow')).toBe('GET,PUT,DELETE');
  });

  it('a bad URL escape -> 400 in the error shape', async () => {
    expectErrorShape(await server.request('GET', '/_connector/%E0%A4%A'), 400);
  });

  it('duplicate top-level keys -> 400 "Duplicate field", nothing stored', async () => {
    const before = jobCount(server);
    const e = expectErrorShape(await post('{"id":"plain","id":"other"}'), 400);
    expect(e).toMatchObject({ type: 'x_content_parse_exception', reason: "[1:19] Duplicate field 'id'" });
    // a key spelled with an escape is the same key
    const esc = expectErrorShape(await post('{"id":"plain", "\\u0069d":"plain"}'), 400);
    expect(esc.reason).toBe("[1:25] Duplicate field 'id'");
    // nested duplicates are left to the parser (they fail as wrong types anyway)
    expect(jobCount(server)).toBe(before);
  });

  it('an error on a field read before the duplicate wins, as in a streaming parser', async () => {
    const e = expectErrorShape(await post('{"foo":1,"id":"a","id":"b"}'), 400);
    expect(e.reason).toBe('[1:2] [connector_sync_job_post_request] unknown field [foo]');
    const later = expectErrorShape(await post('{"id":"a","id":"b","foo":1}'), 400);
    expect(later.reason).toBe("[1:15] Duplicate field 'id'");
  });

  it('a field error read before a syntax error answers first, as a streaming parser reports it', async () => {
    const unknownFirst = expectErrorShape(await post('{"foo":1, x}'), 400);
    expect(unknownFirst.reason).toBe('[1:2] [connector_sync_job_post_request] unknown field [foo]');
    const unknownPending = expectErrorShape(await post('{"id":"plain","bar": tru'), 400);
    expect(unknownPending.reason).toBe('[1:15] [connector_sync_job_post_request] unknown field [bar]');
    const enumFirst = expectErrorShape(await post('{"job_type":"bad","trigger_method":"x","id":"plain",'), 400);
    expect(enumFirst.reason).toBe('[1:45] [connector_sync_job_post_request] failed to parse field [id]');
    expect(JSON.stringify(enumFirst)).toContain('Unknown ConnectorSyncJobType [bad].');
    // a known field whose value is broken: the syntax error answers
    const broken = expectErrorShape(await post('{"id":"plain","job_type": nope}'), 400);
    expect(broken.reason).toMatch(/^\[1:27\] Unexpected character/);
    const missingIdOnly = expectErrorShape(await post('{"job_type":"full",'), 400);
    expect(missingIdOnly.reason).toMatch(/Unexpected end-of-input/);
  });

  it('parse errors carry [line:column] of the field, robust to whitespace and escapes', async () => {
    const unknown = expectErrorShape(await post('{\n  "id": "plain",\n\t"priority": 1\n}'), 400);
    expect(unknown.reason).toBe('[3:2] [connector_sync_job_post_request] unknown field [priority]');
    const wrong = expectErrorShape(await post('{"x\\"y":1}'), 400);
    expect(wrong.reason).toBe('[1:2] [connector_sync_job_post_request] unknown field [x"y]');
    const type = expectErrorShape(await post('{"id": "plain", "job_type": null}'), 400);
    expect(type.reason).toBe("[1:29] [connector_sync_job_post_request] job_type doesn't support values of type: VALUE_NULL");
    const crlf = expectErrorShape(await post('{"id":"plain",\r\n"zz":{"a":[1,2,{"b":"}"}]}}'), 400);
    expect(crlf.reason).toBe('[2:1] [connector_sync_job_post_request] unknown field [zz]');
  });

  it('an enum failure: top failed to parse field, root cause the "Failed to build", reason chain as upstream', async () => {
    const res = await post('{"id":"plain","job_type":"full","trigger_method":"x"}');
    const e = expectErrorShape(res, 400);
    expect(res.json.error).toEqual({
      root_cause: [{ type: 'x_content_parse_exception', reason: 'Failed to build [connector_sync_job_post_request] after last required field arrived' }],
      type: 'x_content_parse_exception',
      reason: '[1:50] [connector_sync_job_post_request] failed to parse field [trigger_method]',
      caused_by: {
        type: 'x_content_parse_exception',
        reason: 'Failed to build [connector_sync_job_post_request] after last required field arrived',
        caused_by: { type: 'illegal_argument_exception', reason: 'Unknown ConnectorSyncJobTriggerMethod [x].' },
      },
    });
    expect(e.type).toBe('x_content_parse_exception');
  });

  it('missing id -> illegal_argument_exception "Required [id]"', async () => {
    const e = expectErrorShape(await post({ job_type: 'full' }), 400);
    expect(e).toMatchObject({ type: 'illegal_argument_exception', reason: 'Required [id]' });
  });

  it('Idempotency-Key: same key and request -> same id, one job; another request -> 409', async () => {
    const before = jobCount(server);
    const a = await post({ id: 'plain', job_type: 'full' }, { 'idempotency-key': 'k-1' });
    const b = await post({ id: 'plain', job_type: 'FULL', trigger_method: 'on_demand' }, { 'idempotency-key': 'k-1' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.json.id).toBe(a.json.id);
    expect(jobCount(server)).toBe(before + 1);
    const c = await post({ id: 'plain', job_type: 'incremental' }, { 'idempotency-key': 'k-1' });
    const e = expectErrorShape(c, 409);
    expect(e).toMatchObject({ type: 'status_exception', reason: 'Idempotency key [k-1] was already used with a different request.' });
    const other = await post({ id: 'plain', job_type: 'full' }, { 'idempotency-key': 'k-2' });
    expect(other.json.id).not.toBe(a.json.id);
    const long = expectErrorShape(await post({ id: 'plain' }, { 'idempotency-key': 'x'.repeat(256) }), 400);
    expect(long.type).toBe('action_request_validation_exception');
  });

  it('GET a job -> the document; an unknown job -> 404', async () => {
    const created = await post({ id: 'plain', job_type: 'incremental', trigger_method: 'scheduled' });
    const res = await server.request('GET', `/_connector/_sync_job/${created.json.id}`);
    expect(res.json).toMatchObject({ id: created.json.id, job_type: 'incremental', trigger_method: 'scheduled', status: 'pending', created_at: NOW.toString() });
    const e = expectErrorShape(await server.request('GET', '/_connector/_sync_job/nope'), 404);
    expect(e).toMatchObject({ type: 'resource_not_found_exception', reason: 'connector sync job [nope] not found' });
  });

  it('PUT then GET a connector; unknown fields and wrong types 400 with positions; a missing one 404', async () => {
    const created = await server.request('PUT', '/_connector/setup-1', { body: { ...PLAIN, name: 'n', is_native: true } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ result: 'created', id: 'setup-1' });
    const got = await server.request('GET', '/_connector/setup-1');
    expect(got.status).toBe(200);
    const c = await server.container.get<{ findById(id: string): Promise<unknown> }>(TOKENS.ConnectorStore).findById('setup-1');
    expect(got.json).toEqual(toConnectorResponse(c as never));
    expect(got.json).toMatchObject({ id: 'setup-1', index_name: 'search-test', name: 'n', is_native: true });
    const updated = await server.request('PUT', '/_connector/setup-1', { body: { index_name: 'other' } });
    expect(updated.status).toBe(200);
    expect(updated.json).toEqual({ result: 'updated', id: 'setup-1' });
    expect((await server.request('GET', '/_connector/setup-1')).json.index_name).toBe('other');

    const unknown = expectErrorShape(await server.request('PUT', '/_connector/setup-2', { body: '{"index_name":"i", "status":"x"}' }), 400);
    expect(unknown).toMatchObject({ type: 'x_content_parse_exception', reason: '[1:20] [connector_put_request] unknown field [status]' });
    const wrong = expectErrorShape(await server.request('PUT', '/_connector/setup-2', { body: { index_name: 5 } }), 400);
    expect(wrong.reason).toBe("[1:15] [connector_put_request] index_name doesn't support values of type: VALUE_NUMBER");
    expect(expectErrorShape(await server.request('PUT', '/_connector/setup-2', { body: '[]' }), 400).type).toBe('x_content_parse_exception');
    const noBody = await server.request('PUT', '/_connector/setup-3');
    expect(noBody.status).toBe(201); // upstream: the body is optional, a connector with its defaults
    expect(expectErrorShape(await server.request('PUT', '/_connector/setup-2', { body: '{"name":"a","name":"b"}' }), 400).reason).toBe(
      "[1:19] Duplicate field 'name'",
    );
    const missing = expectErrorShape(await server.request('GET', '/_connector/setup-2'), 404);
    expect(missing).toMatchObject({ type: 'resource_not_found_exception', reason: "Connector with id 'setup-2' does not exist." });
  });

  it('a soft-deleted connector reads as 404 unless include_deleted=true', async () => {
    await server.request('PUT', '/_connector/gone', { body: { ...PLAIN, deleted: true } });
    expectErrorShape(await server.request('GET', '/_connector/gone'), 404);
    const res = await server.request('GET', '/_connector/gone?include_deleted=true');
    expect(res.status).toBe(200);
    expect(res.json.deleted).toBe(true);
  });
});

describe('HTTP adapter: errors from the core and the storage', () => {
  it('StorageUnavailableError -> 503 with Retry-After; anything else -> 500 without a stack, logged', async () => {
    const { StorageUnavailableError } = await import('../../../src/index.js');
    let fail: Error = new StorageUnavailableError('the database did not answer in time');
    const logged: string[] = [];
    const server = await startServer(
      () => {
        const c = createContainer(memoryModule());
        const jobs = c.get<SyncJobStore>(TOKENS.SyncJobStore);
        c.unbind(TOKENS.SyncJobStore);
        c.bind<SyncJobStore>(TOKENS.SyncJobStore).toConstantValue(
          delegatingSyncJobStore(jobs, { insert: () => Promise.reject(fail), get: () => Promise.reject(fail) }),
        );
        return c;
      },
      { logger: { level: 'error', stream: { write: (line: string) => void logged.push(line) } } as never, retryAfterSeconds: 7 },
    );
    try {
      await server.request('PUT', '/_connector/plain', { body: PLAIN });
      const res = await server.request('POST', '/_connector/_sync_job', { body: { id: 'plain' } });
      expect(expectErrorShape(res, 503)).toMatchObject({ type: 'unavailable_shards_exception', reason: 'the database did not answer in time' });
      expect(res.headers.get('retry-after')).toBe('7');
      expect(logged).toHaveLength(0);

      fail = new TypeError('secret internal detail at /srv/app.js:12');
      const boom = await server.request('POST', '/_connector/_sync_job', { body: { id: 'plain' } });
      expect(expectErrorShape(boom, 500)).toMatchObject({ type: 'exception', reason: 'Internal server error' });
      expect(boom.text).not.toContain('secret');
      const got = await server.request('GET', '/_connector/_sync_job/x');
      expectErrorShape(got, 500);
      expect(logged.join('\n')).toContain('secret internal detail');
    } finally {
      await server.close();
    }
  });
});

describe('HTTP adapter: API keys', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(memory, { apiKeys: [{ key: 'w-key', role: 'write' }, { key: 'r-key', role: 'read' }] });
  });
  afterAll(() => server.close());

  it('no key or an unknown key -> 401 with WWW-Authenticate: ApiKey', async () => {
    for (const headers of [{}, { authorization: 'ApiKey nope' }, { authorization: 'Bearer w-key' }, { authorization: 'ApiKey w-key2' }] as Record<string, string>[]) {
      const res = await server.request('PUT', '/_connector/a', { body: PLAIN, headers });
      expect(expectErrorShape(res, 401).type).toBe('security_exception');
      expect(res.headers.get('www-authenticate')).toBe('ApiKey');
    }
    expectErrorShape(await server.request('GET', '/_connector/_sync_job/x'), 401);
    expectErrorShape(await server.request('GET', '/nowhere'), 401);
  });

  it('the key is checked before anything of the body: 401 before a malformed Content-Type (415) or an oversized body (413)', async () => {
    const malformed = await server.request('POST', '/_connector/_sync_job', { body: '{"id":"a"}', headers: { 'content-type': 'not a media type' } });
    expect(expectErrorShape(malformed, 401).type).toBe('security_exception');
    const big = await server.request('POST', '/_connector/_sync_job', { body: `{"id":"${'a'.repeat(2 * 1024 * 1024)}"}` });
    expect(expectErrorShape(big, 401).type).toBe('security_exception');
    const w = { authorization: 'ApiKey w-key' };
    const authorized = await server.request('POST', '/_connector/_sync_job', { body: '{"id":"a"}', headers: { ...w, 'content-type': 'not a media type' } });
    expect(authorized.status).toBe(415);
    expect(authorized.headers.get('x-elastic-product')).toBe('Elasticsearch');
  });

  it('a read key may read but not write (403)', async () => {
    const r = { authorization: 'ApiKey r-key' };
    expect(expectErrorShape(await server.request('PUT', '/_connector/a', { body: PLAIN, headers: r }), 403).type).toBe('security_exception');
    expect(expectErrorShape(await server.request('POST', '/_connector/_sync_job', { body: { id: 'a' }, headers: r }), 403).type).toBe('security_exception');
    expectErrorShape(await server.request('GET', '/_connector/a', { headers: r }), 404);
  });

  it('a write key may do everything; GET / stays open', async () => {
    const w = { authorization: 'ApiKey w-key' };
    expect((await server.request('PUT', '/_connector/a', { body: PLAIN, headers: w })).status).toBe(201);
    const job = await server.request('POST', '/_connector/_sync_job', { body: { id: 'a' }, headers: w });
    expect(job.status).toBe(201);
    expect((await server.request('GET', `/_connector/_sync_job/${job.json.id}`, { headers: w })).status).toBe(200);
    expect((await server.request('GET', '/')).status).toBe(200);
  });
});

describe('HTTP adapter: shutdown', () => {
  it('close() lets an in-flight create finish (201) before the server stops', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const server = await startServer(() => {
      const c = createContainer(memoryModule());
      const jobs = c.get<SyncJobStore>(TOKENS.SyncJobStore);
      c.unbind(TOKENS.SyncJobStore);
      c.bind<SyncJobStore>(TOKENS.SyncJobStore).toConstantValue(
        delegatingSyncJobStore(jobs, {
          insert: async (job, o) => {
            entered();
            await gate;
            return jobs.insert(job, o);
          },
        }),
      );
      return c;
    });
    await server.request('PUT', '/_connector/plain', { body: PLAIN });
    const pending = server.request('POST', '/_connector/_sync_job', { body: { id: 'plain' } });
    await inside;
    const closing = server.app.close();
    setTimeout(release, 100);
    const res = await pending;
    await closing;
    expect(res.status).toBe(201);
    await expect(fetch(`${server.url}/`)).rejects.toThrow();
    await closeContainer(server.container);
  }, 10_000);
});
