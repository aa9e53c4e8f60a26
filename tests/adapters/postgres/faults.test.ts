/**
 * The fault suite against a real PostgreSQL server (runs when DATABASE_URL is set, as in CI):
 * connections terminated in a loop under concurrent load through every write path, a held
 * table lock, a frozen server (a proxy that stops forwarding: what a client sees of SIGSTOP),
 * and what answers say. Everything runs on a throwaway database this file creates and drops;
 * only that database's backends are terminated or locked.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Socket as TcpSocket, createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import pg from 'pg';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Instant,
  CheckInSyncJob,
  ClaimSyncJob,
  InvalidTransitionError,
  UpdateSyncJobStats,
  ConflictError,
  CreateSyncJob,
  ElasticsearchIdGenerator,
  StorageFailureError,
  StorageUnavailableError,
  TOKENS,
  closeContainer,
  createContainer,
} from '../../../src/index.js';
import { createServer } from '../../../adapters/http/index.js';
import {
  PostgresConnectorStore,
  PostgresSyncJobStore,
  migrate,
  openPool,
  postgresModule,
  queryableFromPool,
} from '../../../adapters/postgres/index.js';
import type { Queryable } from '../../../adapters/postgres/index.js';
import { connector } from 'connector-sync-jobs/testing';
import { DATABASE_URL, createThrowawayDatabase } from './pg-helpers.js';

/** A TCP proxy in front of the server that can freeze: it keeps connections open but forwards nothing. */
class FreezingProxy {
  private server: Server;
  private frozen = false;
  private sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {
    this.server = createTcpServer((client) => {
      const upstream = new TcpSocket();
      upstream.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined); // a peer going away is expected here
        s.on('close', () => this.sockets.delete(s));
      }
      client.on('data', (d: Buffer) => {
        if (!this.frozen) upstream.write(d);
      });
      upstream.on('data', (d: Buffer) => {
        if (!this.frozen) client.write(d);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }
  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }
  freeze(): void {
    this.frozen = true;
  }
  thaw(): void {
    this.frozen = false;
  }
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** Outcomes allowed under faults: a stored job, a typed conflict, or a typed retryable 503. */
function expectTypedFailure(error: unknown): void {
  if (error instanceof ConflictError) return;
  expect(error).toBeInstanceOf(StorageUnavailableError);
  expect((error as StorageUnavailableError).retryable).toBe(true);
}

describe.skipIf(!DATABASE_URL)('faults on a real PostgreSQL server', () => {
  let db: { url: string; drop: () => Promise<void> };
  let dbName: string;
  beforeAll(async () => {
    db = await createThrowawayDatabase(DATABASE_URL!, 'faults');
    dbName = new URL(db.url).pathname.slice(1);
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    await migrate(queryableFromPool(pool));
    await pool.end();
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** Terminates every other backend of the throwaway database, until `stop()`; returns how many. */
  function terminateInALoop(everyMs: number): { stop: () => Promise<number> } {
    const admin = new pg.Client({ connectionString: db.url });
    let running = true;
    let killed = 0;
    const loop = (async () => {
      await admin.connect();
      while (running) {
        const r = await admin.query<{ n: number }>(
          'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [dbName],
        );
        killed += r.rows[0]!.n;
        await new Promise((res) => setTimeout(res, everyMs));
      }
      await admin.end();
    })();
    return {
      stop: async () => {
        running = false;
        await loop;
        return killed;
      },
    };
  }

  /** What is stored, read on a fresh connection of its own once the faulty load is over. */
  async function storedRows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    const check = new pg.Client({ connectionString: db.url });
    await check.connect();
    try {
      return (await check.query<R>(sql, params)).rows;
    } finally {
      await check.end();
    }
  }

  for (const mode of ['plain', 'idempotent', 'one-active policy'] as const) {
    it(`${mode} creates while connections are terminated in a loop: no crash, only stored jobs or typed 503s, every acknowledged job stored, nothing else`, async () => {
      const pool = openPool(db.url, { max: 16 });
      const q = queryableFromPool(pool);
      const connectors = new PostgresConnectorStore(q);
      const jobs = new PostgresSyncJobStore(q);
      const prefix = `t-${mode.replace(/\W/g, '')}`;
      const connectorIds = Array.from({ length: 40 }, (_, i) => `${prefix}-${i}`);
      for (const id of connectorIds) await connectors.upsert(connector(id));
      const create = new CreateSyncJob(connectors, jobs, { now: () => Instant.ofEpochMillis(Date.now()) }, new ElasticsearchIdGenerator(), {
        oneActiveJobPerClass: mode === 'one-active policy',
      });
      const acknowledged = new Set<string>();
      let failures = 0;
      let n = 0;
      const killer = terminateInALoop(250);
      const until = Date.now() + 3_000;
      try {
        // 32 workers, each creating one job after another
        await Promise.all(
          Array.from({ length: 32 }, async () => {
            while (Date.now() < until) {
              const i = n++;
              const body = { id: connectorIds[i % connectorIds.length], job_type: i % 2 ? 'full' : 'access_control' };
              try {
                const job = await create.execute(body, mode === 'idempotent' ? { idempotencyKey: `${prefix}-key-${i}` } : {});
                acknowledged.add(job.id);
              } catch (error) {
                expectTypedFailure(error);
                failures++;
              }
            }
          }),
        );
      } finally {
        const killed = await killer.stop();
        expect(killed).toBeGreaterThan(0);
      }
      await pool.end();
      const stored = await storedRows<{ id: string }>('SELECT id FROM sync_jobs WHERE connector_id LIKE $1', [`${prefix}-%`]);
      const ids = new Set(stored.map((r) => r.id));
      for (const id of acknowledged) expect(ids.has(id)).toBe(true);
      // nothing unacknowledged: every stored job was answered as created
      expect([...ids].filter((id) => !acknowledged.has(id))).toEqual([]);
      expect(acknowledged.size).toBeGreaterThan(0);
      expect(failures).toBeGreaterThan(0);
      console.log(`[faults] ${mode}: ${n} creates, ${acknowledged.size} stored, ${failures} typed failures`);
    }, 30_000);
  }

  it('lifecycle updates (claim, stats, check-in) while connections are terminated in a loop: no crash, only results, refused claims or typed 503s (never a conflict); one acknowledged claim per job and the stored job is the winner; no invented values', async () => {
    const pool = openPool(db.url, { max: 16 });
    const q = queryableFromPool(pool);
    const connectors = new PostgresConnectorStore(q);
    const jobs = new PostgresSyncJobStore(q);
    const clock = { now: () => Instant.ofEpochMillis(Date.now()) };
    await connectors.upsert(connector('t-life'));
    const create = new CreateSyncJob(connectors, jobs, clock, new ElasticsearchIdGenerator());
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) ids.push((await create.execute({ id: 't-life' })).id);
    const claim = new ClaimSyncJob(jobs, clock);
    const stats = new UpdateSyncJobStats(jobs, clock);
    const checkIn = new CheckInSyncJob(jobs, clock);
    const winners = new Map<string, string[]>(); // job -> hostnames whose claim was acknowledged
    const sent = new Map<string, Set<number>>(); // job -> every indexed_document_count sent to it
    let acknowledged = 0;
    let failures = 0;
    const killer = terminateInALoop(250);
    const until = Date.now() + 3_000;
    try {
      await Promise.all(
        Array.from({ length: 32 }, async (_, w) => {
          let k = 0;
          while (Date.now() < until) {
            const id = ids[(w + k) % ids.length]!;
            const op = k++ % 3;
            try {
              if (op === 0) {
                await claim.execute(id, { worker_hostname: `w${w}` });
                winners.set(id, [...(winners.get(id) ?? []), `w${w}`]);
              } else if (op === 1) {
                // each worker writes its own counter values, increasing: the stored value is one
                // that some update wrote, never below an acknowledged one of the same worker
                const value = w * 1_000_000 + k;
                sent.set(id, (sent.get(id) ?? new Set()).add(value));
                await stats.execute(id, { deleted_document_count: 0, indexed_document_count: value, indexed_document_volume: 1 });
              } else {
                await checkIn.execute(id);
              }
              acknowledged++;
            } catch (error) {
              if (op === 0 && error instanceof InvalidTransitionError) continue; // a claim lost to another: the table refused it
              // an update never loses a race as a conflict: only a typed, retryable 503
              expect(error).toBeInstanceOf(StorageUnavailableError);
              failures++;
            }
          }
        }),
      );
    } finally {
      const killed = await killer.stop();
      expect(killed).toBeGreaterThan(0);
    }
    await pool.end();
    const stored = await storedRows<{ id: string; status: string; worker_hostname: string | null; indexed_document_count: string }>(
      "SELECT id, status, worker_hostname, indexed_document_count::text FROM sync_jobs WHERE connector_id = 't-life'",
    );
    const byId = new Map(stored.map((r) => [r.id, r]));
    expect(byId.size).toBe(ids.length);
    for (const [id, hosts] of winners) {
      // exactly one claim of a job is ever acknowledged, and the stored job is that worker's
      expect(hosts.length, id).toBe(1);
      expect(byId.get(id)!.status).toBe('in_progress');
      expect(byId.get(id)!.worker_hostname).toBe(hosts[0]);
    }
    for (const [id, row] of byId) {
      if (!winners.has(id)) expect(['pending', 'in_progress']).toContain(row.status);
      // the stored counter is one a worker sent (or the initial 0): no torn or invented value
      const value = Number(row.indexed_document_count);
      if (value !== 0) expect(sent.get(id)?.has(value), `${id}: ${value}`).toBe(true);
    }
    expect(acknowledged).toBeGreaterThan(0);
    expect(failures).toBeGreaterThan(0);
    console.log(`[faults] lifecycle: ${acknowledged} updates acknowledged, ${failures} typed failures`);
  }, 30_000);

  it('a held ACCESS EXCLUSIVE lock on sync_jobs: creates and reads answer a retryable 503 within the statement timeout, then recover', async () => {
    const pool = openPool(db.url, { max: 4, statement_timeout: 500, query_timeout: 1_000, connectionTimeoutMillis: 500 });
    const q = queryableFromPool(pool);
    const connectors = new PostgresConnectorStore(q);
    const jobs = new PostgresSyncJobStore(q);
    await connectors.upsert(connector('locked'));
    const create = new CreateSyncJob(connectors, jobs, { now: () => Instant.ofEpochMillis(Date.now()) }, new ElasticsearchIdGenerator(), { oneActiveJobPerClass: false });
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE sync_jobs IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const outcomes = await Promise.allSettled([
        create.execute({ id: 'locked' }),
        create.execute({ id: 'locked' }, { idempotencyKey: 'locked-key' }),
        jobs.get('no-such-job'),
      ]);
      const took = Date.now() - started;
      for (const o of outcomes) {
        expect(o.status).toBe('rejected');
        expectTypedFailure((o as PromiseRejectedResult).reason);
      }
      expect(took).toBeLessThan(3_000);
      await holder.query('ROLLBACK');
      expect((await create.execute({ id: 'locked' })).id).toHaveLength(20);
    } finally {
      await holder.end();
      await pool.end();
    }
  });

  it('a frozen server (nothing comes back): every call answers a retryable 503 within the client timeouts, then recovers', async () => {
    const target = new URL(db.url);
    const proxy = new FreezingProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.listen();
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    const pool: Pool = openPool(viaProxy.toString(), { max: 4, statement_timeout: 500, query_timeout: 800, connectionTimeoutMillis: 500 });
    const q: Queryable = queryableFromPool(pool);
    const connectors = new PostgresConnectorStore(q);
    const jobs = new PostgresSyncJobStore(q);
    try {
      await connectors.upsert(connector('frozen'));
      const create = new CreateSyncJob(connectors, jobs, { now: () => Instant.ofEpochMillis(Date.now()) }, new ElasticsearchIdGenerator(), { oneActiveJobPerClass: true });
      proxy.freeze();
      const started = Date.now();
      const outcomes = await Promise.allSettled([
        create.execute({ id: 'frozen' }),
        create.execute({ id: 'frozen', job_type: 'access_control' }),
        create.execute({ id: 'frozen' }, { idempotencyKey: 'frozen-key' }),
        jobs.get('x'),
        connectors.upsert(connector('frozen-2')),
      ]);
      const took = Date.now() - started;
      for (const o of outcomes) {
        expect(o.status).toBe('rejected');
        expectTypedFailure((o as PromiseRejectedResult).reason);
      }
      // each call: at most one connection wait and 800 ms of statements
      expect(took).toBeLessThan(4_000);
      proxy.thaw();
      // connections that timed out were destroyed; new ones work
      const job = await create.execute({ id: 'frozen', job_type: 'incremental' }).catch(async (e: unknown) => {
        // the one-active policy may already see a job committed before the freeze: that is a typed answer too
        if (e instanceof ConflictError) return null;
        throw e;
      });
      if (job) expect(job.id).toHaveLength(20);
      expect(await jobs.get('x').catch((e: unknown) => e)).toBeNull();
    } finally {
      await pool.end().catch(() => undefined);
      await proxy.close();
    }
  }, 20_000);

  it('answers: an unreachable server is 503 + Retry-After whose reason names neither host, port nor user; a missing table is a non-retryable 500', async () => {
    const unreachable = createContainer(
      postgresModule({ connectionString: 'postgres://secret-user:secret-pass@127.0.0.1:1/nowhere', poolConfig: { connectionTimeoutMillis: 500 } }),
    );
    const app = createServer(unreachable);
    try {
      for (const [method, url, payload] of [
        ['POST', '/_connector/_sync_job', { id: 'c' }],
        ['GET', '/_connector/_sync_job/x', undefined],
        ['PUT', '/_connector/c', { index_name: 'i' }],
      ] as const) {
        const res = await app.inject({ method, url, payload });
        expect(res.statusCode).toBe(503);
        expect(res.headers['retry-after']).toBe('1');
        const body = res.json();
        expect(body.error.type).toBe('unavailable_shards_exception');
        expect(res.body).not.toMatch(/127\.0\.0\.1|secret|nowhere|:1\b/);
        expect(body.error.reason).toMatch(/^PostgreSQL is unavailable while .+ \(ECONNREFUSED\)$/);
      }
    } finally {
      await app.close();
      await closeContainer(unreachable);
    }

    // a database without the tables (migrations never ran): 42P01 is not retryable
    const bare = await createThrowawayDatabase(DATABASE_URL!, 'faultsbare');
    const barePool = new pg.Pool({ connectionString: bare.url });
    const container = createContainer(postgresModule({ pool: barePool }));
    const bareApp = createServer(container);
    try {
      const res = await bareApp.inject({ method: 'GET', url: '/_connector/_sync_job/x' });
      expect(res.statusCode).toBe(500);
      expect(res.headers['retry-after']).toBeUndefined();
      expect(res.json().error).toMatchObject({ type: 'illegal_state_exception', reason: 'PostgreSQL failed while reading a sync job (42P01)' });
      const e = await (container.get(TOKENS.SyncJobStore) as PostgresSyncJobStore).get('x').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(StorageFailureError);
      expect((e as StorageFailureError).retryable).toBe(false);
      expect((e as StorageFailureError).code).toBe('storage_failure');
    } finally {
      await bareApp.close();
      await barePool.end();
      await bare.drop();
    }
  });

  it('npm start on a frozen server: the in-flight create is answered 503, a kept-alive request during shutdown is 503 + Connection: close, and SIGTERM exits within SHUTDOWN_GRACE_MS', async () => {
    const target = new URL(db.url);
    const proxy = new FreezingProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.listen();
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/http/main.ts'], {
      cwd: fileURLToPath(new URL('../../../', import.meta.url)),
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        STORAGE: 'postgres',
        DATABASE_URL: viaProxy.toString(),
        PG_STATEMENT_TIMEOUT_MS: '1000',
        PG_CONNECT_TIMEOUT_MS: '1000',
        SHUTDOWN_GRACE_MS: '3000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`not listening; stderr: ${err}`)), 120_000);
        child.stdout.on('data', () => {
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) {
            clearTimeout(t);
            resolve(m[1] as string);
          }
        });
      });
      const put = await fetch(`${url}/_connector/sd`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"index_name":"i","service_type":"s"}' });
      expect(put.status).toBe(201);
      proxy.freeze();
      const inFlight = fetch(`${url}/_connector/_sync_job`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"sd"}' });
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 50));
      // a new request while draining never starts a write
      const late = await fetch(`${url}/_connector/_sync_job`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"sd"}' });
      expect(late.status).toBe(503);
      expect(late.headers.get('connection')).toBe('close');
      expect(late.headers.get('retry-after')).toBe('1');
      expect(((await late.json()) as { error: { type: string } }).error.type).toBe('node_closed_exception');
      const answered = await inFlight;
      expect(answered.status).toBe(503);
      expect(answered.headers.get('retry-after')).toBe('1');
      await exited;
      expect(Date.now() - started).toBeLessThan(3_000 + 1_500);
    } finally {
      child.kill('SIGKILL');
      await proxy.close();
    }
  }, 180_000);
});
