/**
 * The wire around the API over real HTTP (spec section 7): each rule as a request a real client
 * sends, with upstream's answer as the expectation.
 */
import { connect } from 'node:net';
import { gzipSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Instant } from '../../../src/index.js';
import { expectErrorShape, jobCount, memoryContainerAt, reasonChain, startServer } from './harness.js';
import type { TestServer } from './harness.js';

const NOW = Instant.parse('2026-01-02T03:04:05.678Z')!;
const memory = memoryContainerAt(NOW);
const SETUP = { index_name: 'search-c1', service_type: 'x' };

/** Sends raw bytes and returns the raw answer (the connection is closed by the server or after `waitMs`). */
function rawRequest(url: string, bytes: string, waitMs = 1000): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let out = '';
    socket.on('data', (d) => (out += d.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
    socket.write(bytes);
    setTimeout(() => socket.destroy(), waitMs).unref();
  });
}

function parseRaw(answer: string): { status: number; headers: Record<string, string>; body: string } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

describe('the wire around the API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(memory, { bodyLimit: 4096 });
    expect((await server.request('PUT', '/_connector/c1', { body: SETUP })).status).toBe(201);
  });
  afterAll(() => server.close());

  describe('compressed request bodies', () => {
    it('Content-Encoding: gzip and deflate bodies are decompressed (a client with compression: true)', async () => {
      for (const [encoding, body] of [
        ['gzip', gzipSync('{"id":"c1"}')],
        ['deflate', deflateSync('{"id":"c1"}')],
      ] as const) {
        const res = await fetch(`${server.url}/_connector/_sync_job`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': encoding },
          body,
        });
        expect(res.status).toBe(201);
        expect(Object.keys((await res.json()) as object)).toEqual(['id']);
      }
    });

    it('the body limit applies after decompression: a small gzip bomb is a 413, nothing written', async () => {
      const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, ' ')); // 50 MiB of spaces in ~50 KiB
      expect(bomb.length).toBeLessThan(4096 * 20);
      const small = gzipSync(`{"id":"c1"${' '.repeat(8000)}}`); // compresses under the limit, decodes over it
      expect(small.length).toBeLessThan(4096);
      const before = jobCount(server);
      for (const body of [small, bomb]) {
        const res = await fetch(`${server.url}/_connector/_sync_job`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          body,
        });
        expect(res.status).toBe(413);
        expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
        const json = (await res.json()) as { error: { type: string } };
        expect(json.error.type).toBe('content_too_long_exception');
      }
      expect(jobCount(server)).toBe(before);
    });

    it('a corrupt compressed body is a 400 in the error shape', async () => {
      const res = await server.request('POST', '/_connector/_sync_job', {
        body: 'not gzip at all',
        headers: { 'content-encoding': 'gzip' },
      });
      expectErrorShape(res, 400);
    });
  });

  describe('connector setup', () => {
    it('takes upstream\'s six fields, description included', async () => {
      const body = { description: 'any text', index_name: 'search-c2', is_native: false, language: 'en', name: 'Two', service_type: 'x' };
      const res = await server.request('PUT', '/_connector/c2', { body });
      expect(res.status).toBe(201);
      expect(res.json).toEqual({ result: 'created', id: 'c2' });
      expect((await server.request('GET', '/_connector/c2')).json).toMatchObject({ id: 'c2', ...body, status: 'created' });
    });

    it('no body: a connector with upstream\'s defaults', async () => {
      const res = await server.request('PUT', '/_connector/bare');
      expect(res.status).toBe(201);
      const got = (await server.request('GET', '/_connector/bare')).json;
      const at = NOW.toString();
      const block = {
        advanced_snippet: { created_at: at, updated_at: at, value: {} },
        rules: [{ created_at: at, field: '_', id: 'DEFAULT', order: 0, policy: 'include', rule: 'regex', updated_at: at, value: '.*' }],
        validation: { errors: [], state: 'valid' },
      };
      expect(got).toEqual({
        id: 'bare',
        name: '',
        is_native: false,
        configuration: {},
        filtering: [{ domain: 'DEFAULT', active: block, draft: block }],
        status: 'created',
        deleted: false,
      });
    });

    it('a job from a fresh connector carries configuration {} and the default active filtering, as upstream\'s', async () => {
      const res = await server.request('POST', '/_connector/_sync_job', { body: { id: 'c1' } });
      const job = (await server.request('GET', `/_connector/_sync_job/${res.json.id}`)).json;
      expect(job.connector.configuration).toEqual({});
      expect(job.connector.filtering.rules).toEqual([
        expect.objectContaining({ id: 'DEFAULT', field: '_', policy: 'include', rule: 'regex', value: '.*', order: 0 }),
      ]);
      expect(job.connector.filtering.validation).toEqual({ errors: [], state: 'valid' });
    });

    it('a native connector starts in needs_configuration', async () => {
      await server.request('PUT', '/_connector/native', { body: { is_native: true } });
      expect((await server.request('GET', '/_connector/native')).json.status).toBe('needs_configuration');
    });

    it('PUT on an existing connector replaces it: fields it does not name go back to their defaults (upstream\'s op_type index)', async () => {
      await server.request('PUT', '/_connector/re', { body: { ...SETUP, description: 'd', language: 'fr', configuration: { a: { value: 1 } } } });
      const res = await server.request('PUT', '/_connector/re', { body: { index_name: 'search-re' } });
      expect(res.json).toEqual({ result: 'updated', id: 're' });
      const got = (await server.request('GET', '/_connector/re')).json;
      expect(got).toMatchObject({ index_name: 'search-re', name: '', configuration: {} });
      expect(got).not.toHaveProperty('description');
      expect(got).not.toHaveProperty('language');
      expect(got).not.toHaveProperty('service_type');
    });

    const block = (rules: unknown[]) => ({
      advanced_snippet: { created_at: '2024-01-02T03:04:05+02:00', updated_at: '2024-01-02T03:04:05Z', value: {} },
      rules,
      validation: { errors: [], state: 'VALID' },
    });
    const rule = { id: 'r1', field: 'f', order: 1, policy: 'INCLUDE', rule: 'regex', value: 'v', created_at: '2024-01-02T03:04:05+02:00', updated_at: '2024-01-02T03:04:05.123456Z' };

    it('filtering is read as upstream\'s parsers: enums case-folded, dates in UTC with millis', async () => {
      const res = await server.request('PUT', '/_connector/f1', { body: { ...SETUP, filtering: [{ active: block([rule]), draft: block([]) }] } });
      expect(res.status).toBe(201);
      const job = await server.request('POST', '/_connector/_sync_job', { body: { id: 'f1' } });
      const snapshot = (await server.request('GET', `/_connector/_sync_job/${job.json.id}`)).json.connector.filtering;
      expect(snapshot).toEqual({
        advanced_snippet: { created_at: '2024-01-02T01:04:05.000Z', updated_at: '2024-01-02T03:04:05.000Z', value: {} },
        rules: [{ created_at: '2024-01-02T01:04:05.000Z', field: 'f', id: 'r1', order: 1, policy: 'include', rule: 'regex', updated_at: '2024-01-02T03:04:05.123456Z', value: 'v' }],
        validation: { errors: [], state: 'valid' },
      });
    });

    it('malformed filtering is a 400 at PUT, never stored as nulls', async () => {
      const bad: [string, unknown][] = [
        ['a rule of wrong types', [{ active: block([{ ...rule, id: 5, value: 7 }]), draft: block([]) }]],
        ['a rule of junk', [{ active: { ...block([]), rules: [{ junk: true }] }, draft: block([]) }]],
        ['a block without rules', [{ active: { advanced_snippet: block([]).advanced_snippet, validation: block([]).validation }, draft: block([]) }]],
        ['no draft', [{ active: block([rule]) }]],
        ['an unknown policy', [{ active: block([{ ...rule, policy: 'maybe' }]), draft: block([]) }]],
        ['an unknown rule', [{ active: block([{ ...rule, rule: 'REGEXP' }]), draft: block([]) }]],
        ['a date that is not one', [{ active: block([{ ...rule, created_at: 'yesterday' }]), draft: block([]) }]],
        ['not an array', { active: block([]) }],
      ];
      for (const [what, filtering] of bad) {
        const res = await server.request('PUT', '/_connector/fbad', { body: { ...SETUP, filtering } });
        const e = expectErrorShape(res, 400);
        expect(e.type, what).toBe('x_content_parse_exception');
        expect(reasonChain(e), what).toContain('filtering');
        expect((await server.request('GET', '/_connector/fbad')).status, what).toBe(404);
      }
      const e = expectErrorShape(
        await server.request('PUT', '/_connector/fbad', { body: { ...SETUP, filtering: [{ active: block([{ ...rule, id: 5 }]), draft: block([]) }] } }),
        400,
      );
      expect(reasonChain(e)).toContain("[connector_filtering_rule] id doesn't support values of type: VALUE_NUMBER");
      const m = expectErrorShape(
        await server.request('PUT', '/_connector/fbad', { body: { ...SETUP, filtering: [{ active: { ...block([]), rules: [{ junk: true }] }, draft: block([]) }] } }),
        400,
      );
      expect(reasonChain(m)).toContain('Required [field, id, order, policy, rule, value]');
    });
  });

  describe('query parameters', () => {
    it('an unknown parameter is 400 as upstream and writes nothing', async () => {
      const before = jobCount(server);
      const res = await server.request('POST', '/_connector/_sync_job?foo=bar', { body: { id: 'c1' } });
      const e = expectErrorShape(res, 400);
      expect(e).toMatchObject({ type: 'illegal_argument_exception', reason: 'request [/_connector/_sync_job] contains unrecognized parameter: [foo]' });
      expect(jobCount(server)).toBe(before);
    });

    it('did-you-mean suggestions and several unknown parameters, as BaseRestHandler', async () => {
      const one = expectErrorShape(await server.request('DELETE', '/_connector/c1?hardd=true'), 400);
      expect(one.reason).toBe('request [/_connector/c1] contains unrecognized parameter: [hardd] -> did you mean [hard]?');
      const two = expectErrorShape(await server.request('GET', '/_connector/c1?zzz=1&prety=true'), 400);
      expect(two.reason).toBe('request [/_connector/c1] contains unrecognized parameters: [prety] -> did you mean [pretty]?, [zzz]');
      expect((await server.request('GET', '/_connector/c1')).status).toBe(200); // the failed DELETE deleted nothing
    });

    it('did-you-mean scores parameters as body fields: UTF-16 units, as Lucene LevenshteinDistance does', async () => {
      // 'hard😀😀' is 8 UTF-16 units from 'hard' by 4 edits: a similarity of 0.5, not above it
      const far = expectErrorShape(await server.request('DELETE', '/_connector/c1?hard%F0%9F%98%80%F0%9F%98%80'), 400);
      expect(far.reason).toBe('request [/_connector/c1] contains unrecognized parameter: [hard😀😀]');
      const near = expectErrorShape(await server.request('DELETE', '/_connector/c1?hard%F0%9F%98%80'), 400);
      expect(near.reason).toBe('request [/_connector/c1] contains unrecognized parameter: [hard😀] -> did you mean [hard]?');
    });

    it('the global parameters are accepted everywhere; pretty and filter_path change the answer', async () => {
      const pretty = await server.request('GET', '/?pretty');
      expect(pretty.text).toMatch(/^\{\n {2}"name" : "connector-sync-jobs",\n/);
      expect(pretty.text.endsWith('}\n')).toBe(true);
      const filtered = await server.request('GET', '/?filter_path=version.number,tagline&human=true&error_trace=false');
      expect(filtered.json).toEqual({ version: { number: expect.any(String) }, tagline: 'You Know, for Search' });
      const star = await server.request('GET', '/_connector/c1?filter_path=*_name');
      expect(star.json).toEqual({ index_name: 'search-c1' });
      const deep = await server.request('GET', '/_connector/c1?filter_path=**.rules.id,-filtering.draft');
      expect(deep.json).toEqual({ filtering: [{ active: { rules: [{ id: 'DEFAULT' }] } }] });
      const none = await server.request('GET', '/_connector/c1?filter_path=nothing');
      expect(none.json).toEqual({});
      // errors are not filtered
      expectErrorShape(await server.request('GET', '/_connector/nope?filter_path=nothing'), 404);
    });

    it('a boolean parameter that is not one is a 400, and nothing is written', async () => {
      const e = expectErrorShape(await server.request('DELETE', '/_connector/c1?hard=yes'), 400);
      expect(e.reason).toBe('Failed to parse value [yes] as only [true] or [false] are allowed.');
      expect((await server.request('GET', '/_connector/c1')).status).toBe(200);
      const before = jobCount(server);
      expectErrorShape(await server.request('POST', '/_connector/_sync_job?pretty=yes', { body: { id: 'c1' } }), 400);
      expectErrorShape(await server.request('DELETE', '/_connector/c1?error_trace=1'), 400);
      expect(jobCount(server)).toBe(before);
      expect((await server.request('GET', '/_connector/c1')).status).toBe(200);
    });
  });

  describe('routes and methods', () => {
    it('a body on a route that reads none is upstream\'s 400 (BaseRestHandler), after the parameters, and writes nothing', async () => {
      const created = await server.request('POST', '/_connector/_sync_job', { body: { id: 'c1' } });
      const id = created.json.id as string;
      const before = (await server.request('GET', `/_connector/_sync_job/${id}`)).json;
      for (const [method, path] of [
        ['PUT', `/_connector/_sync_job/${id}/_check_in`],
        ['PUT', `/_connector/_sync_job/${id}/_cancel`],
        ['DELETE', `/_connector/_sync_job/${id}`],
      ] as const) {
        const e = expectErrorShape(await server.request(method, path, { body: { x: 1 } }), 400);
        expect(e.type, path).toBe('illegal_argument_exception');
        expect(e.reason, path).toBe(`request [${method} ${path}] does not support having a body`);
        // an unknown parameter is reported first, as upstream checks parameters before the body
        const p = expectErrorShape(await server.request(method, `${path}?foo=1`, { body: { x: 1 } }), 400);
        expect(p.reason, path).toContain('contains unrecognized parameter: [foo]');
      }
      // fetch sends no body with GET: these go raw
      for (const path of [`/_connector/_sync_job/${id}`, '/_connector/_sync_job']) {
        const r = parseRaw(
          await rawRequest(server.url, `GET ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{"x":1}`),
        );
        expect(r.status, path).toBe(400);
        expect(JSON.parse(r.body).error.reason, path).toBe(`request [GET ${path}] does not support having a body`);
      }
      expect((await server.request('GET', `/_connector/_sync_job/${id}`)).json).toEqual(before);
    });

    it('GET / answers Elasticsearch\'s info', async () => {
      const res = await server.request('GET', '/');
      expect(res.status).toBe(200);
      expect(Object.keys(res.json)).toEqual(['name', 'cluster_name', 'cluster_uuid', 'version', 'tagline']);
      expect(Object.keys(res.json.version)).toEqual([
        'number', 'build_flavor', 'build_type', 'build_hash', 'build_date', 'build_snapshot',
        'lucene_version', 'minimum_wire_compatibility_version', 'minimum_index_compatibility_version',
      ]);
      expect(res.json.version.build_flavor).toBe('default');
      expect(Number(res.json.version.number.split('.')[0])).toBeGreaterThanOrEqual(8);
      expect(res.json.tagline).toBe('You Know, for Search');
    });

    it('an unknown route is upstream\'s flat 400 (not a 404 a client reads as "no such job")', async () => {
      const res = await server.request('GET', '/no/such/route?x=1');
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: 'no handler found for uri [/no/such/route?x=1] and method [GET]' });
      expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    });

    it('a wrong method is upstream\'s 405 with Allow; OPTIONS is 200 with Allow', async () => {
      const res = await server.request('PATCH', '/_connector/c1');
      expect(res.status).toBe(405);
      expect(res.json).toEqual({ error: 'Incorrect HTTP method for uri [/_connector/c1] and method [PATCH], allowed: [GET, PUT, DELETE]', status: 405 });
      expect(res.headers.get('allow')).toBe('GET,PUT,DELETE');
      const options = await server.request('OPTIONS', '/_connector/c1');
      expect(options.status).toBe(200);
      expect(options.headers.get('allow')).toBe('GET,PUT,DELETE');
    });
  });

  describe('answers before routing', () => {
    it('a malformed request line: 400 in the error shape with the product header', async () => {
      const r = parseRaw(await rawRequest(server.url, 'NOT A REQUEST\r\n\r\n'));
      expect(r.status).toBe(400);
      expect(r.headers['x-elastic-product']).toBe('Elasticsearch');
      expect(JSON.parse(r.body)).toMatchObject({ error: { type: 'illegal_argument_exception' }, status: 400 });
    });

    it('a header too large: 431 in the error shape with the product header', async () => {
      const r = parseRaw(await rawRequest(server.url, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`));
      expect(r.status).toBe(431);
      expect(r.headers['x-elastic-product']).toBe('Elasticsearch');
      expect(JSON.parse(r.body)).toMatchObject({ error: { type: 'too_long_http_header_exception' }, status: 431 });
    });

    it('bad percent-encoding: 400 with the product header, invalid UTF-8 escapes included', async () => {
      for (const path of ['/_connector/%zz', '/_connector/%ff', '/_connector/%C3%28', '/_connector/c1?x=%ff', '/_connector/c1?%zz']) {
        const res = await server.request('GET', path);
        const e = expectErrorShape(res, 400);
        expect(e.type, path).toBe('illegal_argument_exception');
        expect(res.headers.get('x-elastic-product'), path).toBe('Elasticsearch');
      }
      const e = expectErrorShape(await server.request('GET', '/_connector/%zz'), 400);
      expect(e.reason).toBe("invalid escape sequence `%zz' at index 0 of: %zz");
      // a valid escape still works
      await server.request('PUT', '/_connector/caf%C3%A9', { body: SETUP });
      expect((await server.request('GET', '/_connector/caf%C3%A9')).json.id).toBe('café');
    });
  });

  describe('DELETE /_connector/<id>', () => {
    it('soft delete by default: acknowledged, then reads and new jobs 404; the jobs stay', async () => {
      await server.request('PUT', '/_connector/d1', { body: SETUP });
      const job = (await server.request('POST', '/_connector/_sync_job', { body: { id: 'd1' } })).json.id as string;
      const res = await server.request('DELETE', '/_connector/d1');
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ acknowledged: true });
      expectErrorShape(await server.request('GET', '/_connector/d1'), 404);
      expect((await server.request('GET', '/_connector/d1?include_deleted=true')).json.deleted).toBe(true);
      expectErrorShape(await server.request('POST', '/_connector/_sync_job', { body: { id: 'd1' } }), 404);
      expect((await server.request('GET', `/_connector/_sync_job/${job}`)).status).toBe(200);
      expectErrorShape(await server.request('DELETE', '/_connector/d1'), 404);
    });

    it('hard=true removes it; delete_sync_jobs=true removes its jobs too', async () => {
      await server.request('PUT', '/_connector/d2', { body: SETUP });
      const job = (await server.request('POST', '/_connector/_sync_job', { body: { id: 'd2' } })).json.id as string;
      const other = (await server.request('POST', '/_connector/_sync_job', { body: { id: 'c1' } })).json.id as string;
      const res = await server.request('DELETE', '/_connector/d2?hard=true&delete_sync_jobs=true');
      expect(res.json).toEqual({ acknowledged: true });
      expectErrorShape(await server.request('GET', '/_connector/d2?include_deleted=true'), 404);
      expectErrorShape(await server.request('GET', `/_connector/_sync_job/${job}`), 404);
      expect((await server.request('GET', `/_connector/_sync_job/${other}`)).status).toBe(200);
    });

    it('a missing connector is 404', async () => {
      const e = expectErrorShape(await server.request('DELETE', '/_connector/never'), 404);
      expect(e.reason).toBe("Connector with id 'never' does not exist.");
    });
  });
});
