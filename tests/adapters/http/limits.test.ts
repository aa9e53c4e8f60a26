import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer } from '../../../src/index.js';
import { memoryModule } from '../../../adapters/memory/index.js';
import { DEFAULT_HTTP_LIMITS, resolveLimits, startDraining } from '../../../adapters/http/limits.js';
import { MAX_NESTING_DEPTH } from '../../../adapters/http/json-scan.js';
import { expectErrorShape, startServer } from './harness.js';
import type { TestServer } from './harness.js';

/** What a raw socket received before the server closed it, and how long that took. */
interface RawOutcome {
  text: string;
  closedAfterMs: number;
}

/** Opens a socket to the server, sends `chunks` (a delay in ms between them), and waits for the server to close it. */
function raw(url: string, chunks: (string | number)[], waitMs: number): Promise<RawOutcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect(Number(port), hostname);
    let text = '';
    let stopped = false;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.on('error', () => undefined); // a reset after the answer is part of what is tested
    const giveUp = setTimeout(() => {
      stopped = true;
      socket.destroy();
      reject(new Error(`connection still open after ${waitMs} ms; received: ${JSON.stringify(text)}`));
    }, waitMs);
    socket.on('close', () => {
      stopped = true;
      clearTimeout(giveUp);
      resolve({ text, closedAfterMs: Date.now() - started });
    });
    socket.on('connect', async () => {
      for (const c of chunks) {
        if (stopped) return;
        if (typeof c === 'number') await new Promise((r) => setTimeout(r, c));
        else if (!socket.destroyed) socket.write(c);
      }
    });
  });
}

const HEAD = 'POST /_connector/_sync_job HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';

/** The status line and the parsed JSON body of a raw answer. */
function parseRaw(text: string): { status: number; headers: string; json: any } { // eslint-disable-line @typescript-eslint/no-explicit-any
  const [head, body] = text.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head ?? '')?.[1]), headers: head ?? '', json: JSON.parse(body ?? 'null') };
}

describe('HTTP limits: no client holds a connection for ever', () => {
  const limits = { headersTimeoutMs: 400, requestTimeoutMs: 800, keepAliveTimeoutMs: 300, idleTimeoutMs: 3_000, maxConnections: 5 };
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(() => createContainer(memoryModule()), { limits });
  });
  afterAll(() => server.close());

  it('defaults: a stalled request is answered or closed within 60 s', () => {
    const d = resolveLimits();
    expect(d).toEqual(DEFAULT_HTTP_LIMITS);
    expect(d.requestTimeoutMs + 1_000).toBeLessThanOrEqual(60_000);
    expect(d.headersTimeoutMs).toBeLessThanOrEqual(d.requestTimeoutMs);
    expect(d.maxConnections).toBeGreaterThan(0);
  });

  it('a short body (Content-Length 10, one byte sent) is answered 408 in Elasticsearch\'s shape, then closed', async () => {
    const out = await raw(server.url, [`${HEAD}Content-Length: 10\r\n\r\n{`], 5_000);
    const r = parseRaw(out.text);
    expect(r.status).toBe(408);
    expect(r.headers).toMatch(/connection: close/i);
    expect(r.json).toEqual({
      error: {
        root_cause: [{ type: 'timeout_exception', reason: 'request was not received within [800ms]' }],
        type: 'timeout_exception',
        reason: 'request was not received within [800ms]',
      },
      status: 408,
    });
    expect(out.closedAfterMs).toBeGreaterThanOrEqual(700);
    expect(out.closedAfterMs).toBeLessThan(2_500);
  });

  it('a body sent one byte at a time is cut at the request timeout with 408', async () => {
    const body = '{"id":"c1"}';
    const drip: (string | number)[] = [`${HEAD}Content-Length: ${body.length}\r\n\r\n`];
    for (const ch of body) drip.push(ch, 250);
    const out = await raw(server.url, drip, 5_000);
    expect(parseRaw(out.text).status).toBe(408);
    expect(out.closedAfterMs).toBeLessThan(2_500);
  });

  it('headers that never end are answered 408 at the headers timeout', async () => {
    const out = await raw(server.url, ['POST /_connector/_sync_job HTTP/1.1\r\nHost: x\r\n'], 5_000);
    expect(parseRaw(out.text).status).toBe(408);
    expect(out.closedAfterMs).toBeLessThan(2_000);
  });

  it('a connection that sends nothing is closed', async () => {
    const out = await raw(server.url, [], 5_000);
    expect(out.closedAfterMs).toBeLessThan(2_500);
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const out = await raw(server.url, ['GET / HTTP/1.1\r\nHost: x\r\n\r\n'], 5_000);
    expect(out.text).toMatch(/^HTTP\/1\.1 200/);
    expect(out.closedAfterMs).toBeLessThan(2_000);
  });

  it('beyond the connection cap, new connections are closed at once and the server still serves afterwards', async () => {
    const held: Socket[] = [];
    try {
      for (let i = 0; i < limits.maxConnections; i++) {
        const s = connect(Number(new URL(server.url).port), '127.0.0.1');
        s.on('error', () => undefined);
        await new Promise((r) => s.once('connect', r));
        held.push(s);
      }
      await new Promise((r) => setTimeout(r, 50));
      const extra = await raw(server.url, ['GET / HTTP/1.1\r\nHost: x\r\n\r\n'], 5_000);
      expect(extra.text).toBe('');
      expect(extra.closedAfterMs).toBeLessThan(300);
    } finally {
      for (const s of held) s.destroy();
    }
    await new Promise((r) => setTimeout(r, 50));
    const res = await server.request('GET', '/');
    expect(res.status).toBe(200);
  });
});

describe('HTTP limits: the idle timeout (no traffic either way)', () => {
  const limits = { headersTimeoutMs: 10_000, requestTimeoutMs: 10_000, keepAliveTimeoutMs: 10_000, idleTimeoutMs: 1_000, maxConnections: 5 };
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(() => createContainer(memoryModule()), { limits });
  });
  afterAll(() => server.close());

  it('a connection silent both ways while its request runs (a long poll) is destroyed after the idle timeout', async () => {
    const body = '{"worker_hostname":"w","wait_timeout":"8s"}';
    const claim = `POST /_connector/_sync_job/_claim_next HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const out = await raw(server.url, [claim], 6_000);
    expect(out.text).toBe('');
    expect(out.closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(out.closedAfterMs).toBeLessThan(4_000);
  });

  it('traffic keeps a connection open past the idle timeout: headers sent a little at a time over 2.4 s are answered', async () => {
    const head = 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    const drip: (string | number)[] = [];
    for (let i = 0; i < 8; i++) drip.push(head.slice((i * head.length) / 8, ((i + 1) * head.length) / 8), 300);
    const out = await raw(server.url, drip, 8_000);
    expect(out.text).toMatch(/^HTTP\/1\.1 200/);
    expect(out.closedAfterMs).toBeGreaterThanOrEqual(2_000);
  });
});

describe('nesting depth is bounded where the body is read', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(() => createContainer(memoryModule()));
  });
  afterAll(() => server.close());

  const nested = (depth: number): string => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);

  it('a configuration nested 3,000 levels deep is 400 with Jackson\'s depth message, not a 500', async () => {
    const body = `{"index_name":"i","configuration":${nested(3_000)}}`;
    const res = await server.request('PUT', '/_connector/deep', { body });
    const e = expectErrorShape(res, 400);
    expect(e.type).toBe('x_content_parse_exception');
    // the top level is depth 1; the 1,001st object opens at offset 34 + 5 * 999 (column = offset + 1)
    expect(e.reason).toBe(
      `[1:${34 + 5 * 999 + 1}] Document nesting depth (1001) exceeds the maximum allowed (1000, from \`StreamReadConstraints.getMaxNestingDepth()\`)`,
    );
  });

  it('arrays count too; exactly the limit is accepted', async () => {
    const deepArray = `{"index_name":"i","configuration":${'['.repeat(MAX_NESTING_DEPTH)}${']'.repeat(MAX_NESTING_DEPTH)}}`;
    const res = await server.request('PUT', '/_connector/deep-array', { body: deepArray });
    expect(expectErrorShape(res, 400).reason).toContain('Document nesting depth (1001)');
    const ok = `{"index_name":"i","configuration":${nested(MAX_NESTING_DEPTH - 1)}}`;
    expect((await server.request('PUT', '/_connector/at-limit', { body: ok })).status).toBe(201);
  });
});

describe('shutdown under keep-alive load: every request is answered, none reset', () => {
  it('a request already running when the drain begins is answered normally, with Connection: close', async () => {
    const server = await startServer(() => createContainer(memoryModule()));
    try {
      // a long poll that finds no job: it is running in its route when the drain begins
      const running = server.request('POST', '/_connector/_sync_job/_claim_next', { body: { worker_hostname: 'w', wait_timeout: '1s' } });
      await new Promise((r) => setTimeout(r, 300));
      const before = await server.request('GET', '/');
      expect(before.headers.get('connection')).not.toBe('close');
      startDraining(server.app);
      const res = await running;
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ job: null });
      expect(res.headers.get('connection')).toBe('close');
    } finally {
      await server.close();
    }
  });

  it('drain, then close: in-flight requests finish, later ones get 503 + Connection: close, no connection is reset', async () => {
    const server = await startServer(() => createContainer(memoryModule()));
    const put = await server.request('PUT', '/_connector/c1', { body: { index_name: 'i', service_type: 's' } });
    expect(put.status).toBe(201);
    const statuses = new Map<number, number>();
    const failures: unknown[] = [];
    let draining = false;
    // 16 clients on kept-alive connections, each creating until the server tells it to go away
    const clients = Array.from({ length: 16 }, async () => {
      for (;;) {
        let res: Response;
        const sentWhileDraining = draining;
        try {
          res = await fetch(`${server.url}/_connector/_sync_job`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"id":"c1"}',
          });
          await res.text();
        } catch (error) {
          failures.push(error);
          return;
        }
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 503) {
          expect(res.headers.get('connection')).toBe('close');
          expect(res.headers.get('retry-after')).toBe('1');
          return;
        }
        // a request sent after the drain began never reaches a route
        expect(sentWhileDraining).toBe(false);
        expect(res.status).toBe(201);
      }
    });
    // load first (a loaded machine may need a while for the first answers)
    for (let waited = 0; (statuses.get(201) ?? 0) < 32 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    // what main.ts does on SIGTERM: drain, then close a moment later (1 s there; here once every
    // client has had its answer, at most 5 s, so that a loaded machine cannot make it flaky)
    startDraining(server.app);
    draining = true;
    await Promise.race([Promise.all(clients), new Promise((r) => setTimeout(r, 5_000))]);
    await server.close();
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect(statuses.get(201)).toBeGreaterThan(0);
    expect(statuses.get(503)).toBe(16);
  }, 30_000);
});
