/**
 * Lifecycle operations: claim, check-in, stats, cancel, list and get through the
 * library's use cases on PostgreSQL (a pg.Pool of 16) and PGlite, each beside the hand-written
 * guarded statement on the same pool (`UPDATE ... WHERE id = $1 AND status = ANY(...) RETURNING`,
 * or the `SELECT`); and the create beside a single raw `INSERT ... RETURNING` and, on the server,
 * pg-boss 10 `send` with the same payload. Concurrency 1 and 16, medians of interleaved rounds.
 * Prints figures, asserts nothing about time. Beside throughput and latency, each pair gives the
 * CPU time of this process per operation (all of it on PGlite, which runs in process; the
 * client's share on the server) and its ratio: on a shared, loaded machine that is the steadier
 * measure of what the library adds.
 *
 * What the baselines do NOT do: no domain check in the process (the status guard is the only
 * precondition), no typed errors, no job decoding beyond pg's own row parsing; the raw insert does
 * not check the connector exists (no orphan guard), takes no snapshot, no idempotency or policy.
 * pg-boss `send` inserts one row into its partitioned job table (its own guarantees: none of ours).
 * The raw inserts go into `sync_jobs`, so they pay what that table costs, as the library does:
 * seven indexes and the claimable-job trigger (the workers' wake-ups). Its NOTIFY's commit-time
 * lock serialises notifying commits (measured: the raw insert at concurrency 16 ran 3.2x faster
 * with the trigger disabled, load 3), so since migration 7 it notifies only while a worker waits
 * in claim-next (a row in sync_job_waiters): no worker waits here, so neither the library nor the
 * raw inserts pay it (while one waits, both do: pgbench at c16 ran 2.7-3.6x slower, load 4-5).
 * pg-boss's table has no NOTIFY trigger.
 * The library's create, once its connector is cached, is ONE named (prepared) statement that also
 * checks the connector row's version and locks it FOR SHARE (on the server); the raw insert is
 * unnamed (parsed and planned per call, as `pool.query(text)` and PGlite's `query()` do), so both
 * flavours also get it prepared, as a figure without target (on PGlite through the adapter's
 * named statements, `queryableFromPglite(db).query(text, params, { prepare })`).
 */
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import PgBoss from 'pg-boss';
import {
  CancelSyncJob,
  CheckInSyncJob,
  ClaimSyncJob,
  CreateSyncJob,
  ElasticsearchIdGenerator,
  GetSyncJob,
  ListSyncJobs,
  SystemClock,
  UpdateSyncJobStats,
  encodeSnapshot,
  snapshotConnector,
} from '../src/internal.js';
import { migrate, postgresStores, queryableFromPglite, queryableFromPool } from '../adapters/postgres/index.js';
import type { Queryable } from '../adapters/postgres/index.js';
import { benchConnector } from './core.js';
import { inOrder, median, percentile, ratioStats, throwawayDatabase, type Pair } from './harness.js';

type RawQuery = (text: string, params: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;
type Op = (id: string) => Promise<unknown>;

const COLS = `id, connector_id, cancelation_requested_at, canceled_at, completed_at, connector, created_at, deleted_document_count,
  error, indexed_document_count, indexed_document_volume, job_type, last_seen, metadata, started_at, status, total_document_count,
  trigger_method, worker_hostname, sync_cursor`;

/** `n` pending jobs of connector `connectorId` in one statement; returns their ids. */
async function seed(db: Queryable, snapshot: string, connectorId: string, prefix: string, n: number, status = 'pending'): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO sync_jobs (id, connector_id, connector, created_at, job_type, last_seen, metadata, status, trigger_method, started_at)
     SELECT $2 || i, $3, $1::text::json, now() - i * interval '1 microsecond', 'full', now(), '{}', $5, 'on_demand',
            CASE WHEN $5 = 'in_progress' THEN now() END
     FROM generate_series(1, $4::int) AS i RETURNING id`,
    [snapshot, prefix, connectorId, n, status],
  );
  return rows.map((r) => r.id);
}

/** Runs `op` over fresh ids (or a fixed id) with `concurrency` workers for `ms` or until the ids run out. */
async function drive(op: Op, ids: () => string | undefined, concurrency: number, ms: number): Promise<{ ops: number; lat: number[]; cpu: number }> {
  const lat: number[] = [];
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const id = ids();
        if (id === undefined) return;
        const t = performance.now();
        await op(id);
        lat.push(performance.now() - t);
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  // CPU of this process per operation (µs): all of it on PGlite (in process), the client's share on the server.
  return { ops: lat.length / ((performance.now() - start) / 1000), lat, cpu: (cpu.user + cpu.system) / Math.max(1, lat.length) };
}

interface Case {
  name: string;
  /** Fresh ids for one side of one round (consumed), or a constant id. */
  ids: (side: 's' | 'b', round: number) => Promise<() => string | undefined>;
  subject: Op;
  baseline: Op;
  baselineName: string;
  target?: number;
}

async function measure(label: string, c: Case, concurrency: number, rounds: number, ms: number): Promise<Pair> {
  const s: { ops: number; lat: number[]; cpu: number }[] = [];
  const b: { ops: number; lat: number[]; cpu: number }[] = [];
  for (let i = 0; i < rounds; i++) {
    const sIds = await c.ids('s', i);
    const bIds = await c.ids('b', i);
    const runS = async () => s.push(await drive(c.subject, sIds, concurrency, ms));
    const runB = async () => b.push(await drive(c.baseline, bIds, concurrency, ms));
    await inOrder(i, runB, runS);
  }
  return {
    name: `${label}: ${c.name} vs ${c.baselineName}, concurrency ${concurrency}`,
    unit: 'ops/s',
    subject: median(s.map((x) => x.ops)),
    baseline: median(b.map((x) => x.ops)),
    ratio: ratioStats(s.map((x) => x.ops), b.map((x) => x.ops)),
    extra: {
      'p50 ms': median(s.map((x) => percentile(x.lat, 50))),
      'p99 ms': median(s.map((x) => percentile(x.lat, 99))),
      'baseline p50 ms': median(b.map((x) => percentile(x.lat, 50))),
      'baseline p99 ms': median(b.map((x) => percentile(x.lat, 99))),
      // steadier than throughput on a shared machine: other processes' load does not enter it
      'cpu us/op': median(s.map((x) => x.cpu)),
      'baseline cpu us/op': median(b.map((x) => x.cpu)),
      'cpu ratio (median of rounds)': median(s.map((x, i) => x.cpu / b[i]!.cpu)),
    },
    target: c.target,
    higherIsBetter: true,
  };
}

function from(list: string[]): () => string | undefined {
  let i = 0;
  return () => list[i++];
}

/** A named statement: prepared once per connection (the server's pool) or per PGlite instance. */
type NamedQuery = (name: string, text: string, params: unknown[]) => Promise<unknown>;

async function casesOn(db: Queryable, raw: RawQuery, boss: PgBoss | undefined, perRound: number, named?: NamedQuery): Promise<Case[]> {
  await migrate(db);
  // as postgresModule wires them: the create's lookup answers from the stores' connector cache
  const { connectors, lookup, jobs } = postgresStores(db);
  const connector = benchConnector('bench', 20);
  await connectors.upsert(connector);
  await connectors.upsert(benchConnector('listed', 5));
  const snapshot = JSON.stringify(encodeSnapshot(snapshotConnector(connector, 'full')));
  const clock = new SystemClock();
  // list: 100 jobs of their own connector, first page of 20 (the library counts all matches too)
  await seed(db, snapshot, 'listed', 'listed-', 100);
  const [getId] = await seed(db, snapshot, 'bench', 'get-', 1);
  const [running] = await seed(db, snapshot, 'bench', 'running-', 1, 'in_progress');
  const fixed = (id: string) => async () => () => id;
  const fresh = (kind: string, status = 'pending') => async (side: string, round: number) =>
    from(await seed(db, snapshot, 'bench', `${kind}-${side}${round}-${Math.random().toString(36).slice(2, 6)}-`, perRound, status));
  const claim = new ClaimSyncJob(jobs, clock);
  const checkIn = new CheckInSyncJob(jobs, clock);
  const stats = new UpdateSyncJobStats(jobs, clock);
  const cancel = new CancelSyncJob(jobs, clock);
  const list = new ListSyncJobs(jobs);
  const get = new GetSyncJob(jobs);
  const create = new CreateSyncJob(lookup, jobs, clock, new ElasticsearchIdGenerator());
  const rawIds = new ElasticsearchIdGenerator();
  const guarded = 'guarded UPDATE ... RETURNING';
  const cases: Case[] = [
    {
      name: 'claim',
      ids: fresh('claim'),
      subject: (id) => claim.execute(id, { worker_hostname: 'bench-host', sync_cursor: { page: 1 } }),
      baseline: (id) =>
        raw(
          `UPDATE sync_jobs SET status = 'in_progress', worker_hostname = $2, started_at = now(), last_seen = now(), sync_cursor = $3::text::json
           WHERE id = $1 AND status = ANY('{pending}'::text[]) RETURNING ${COLS}`,
          [id, 'bench-host', '{"page":1}'],
        ),
      baselineName: guarded,
      target: 0.9,
    },
    {
      name: 'check-in',
      ids: fixed(running!),
      subject: (id) => checkIn.execute(id),
      baseline: (id) => raw(`UPDATE sync_jobs SET last_seen = now() WHERE id = $1 RETURNING ${COLS}`, [id]),
      baselineName: guarded,
      target: 0.9,
    },
    {
      name: 'stats',
      ids: fixed(running!),
      subject: (id) => stats.execute(id, { deleted_document_count: 1, indexed_document_count: 2, indexed_document_volume: 3 }),
      baseline: (id) =>
        raw(
          `UPDATE sync_jobs SET deleted_document_count = $2, indexed_document_count = $3, indexed_document_volume = $4, last_seen = now()
           WHERE id = $1 AND status = ANY('{in_progress}'::text[]) RETURNING ${COLS}`,
          [id, 1, 2, 3],
        ),
      baselineName: guarded,
      target: 0.9,
    },
    {
      name: 'cancel (pending)',
      ids: fresh('cancel'),
      subject: (id) => cancel.execute(id),
      baseline: (id) =>
        raw(
          `UPDATE sync_jobs SET status = 'canceled', cancelation_requested_at = now(), canceled_at = now(), last_seen = now()
           WHERE id = $1 AND status = ANY('{pending,suspended}'::text[]) RETURNING ${COLS}`,
          [id],
        ),
      baselineName: guarded,
      target: 0.9,
    },
    {
      name: 'list (connector, 20 of 100)',
      ids: fixed('listed'),
      subject: (id) => list.execute({ connector_id: id, size: '20' }),
      baseline: (id) =>
        raw(`SELECT count(*) OVER () AS total_count, ${COLS} FROM sync_jobs WHERE connector_id = $1 ORDER BY created_at DESC, id LIMIT 20`, [id]),
      baselineName: 'SELECT page + count(*) OVER ()',
      target: 0.9,
    },
    {
      name: 'get',
      ids: fixed(getId!),
      subject: (id) => get.execute(id),
      baseline: (id) => raw(`SELECT ${COLS} FROM sync_jobs WHERE id = $1`, [id]),
      baselineName: 'SELECT by id',
      target: 0.9,
    },
    {
      name: 'create',
      ids: fixed('bench'),
      subject: (id) => create.execute({ id }),
      baseline: (id) =>
        raw(
          `INSERT INTO sync_jobs (id, connector_id, connector, created_at, job_type, last_seen, metadata, status, trigger_method)
           VALUES ($1, $2, $3::text::json, now(), 'full', now(), '{}', 'pending', 'on_demand') RETURNING id`,
          [rawIds.next(), id, snapshot],
        ),
      baselineName: 'one raw INSERT ... RETURNING',
      target: 0.85,
    },
  ];
  if (boss) {
    const payload = JSON.parse(snapshot) as object;
    cases.push({
      name: 'create',
      ids: fixed('bench'),
      subject: (id) => create.execute({ id }),
      baseline: () => boss.send('bench', payload),
      baselineName: 'pg-boss 10 send (same snapshot as payload)',
      target: 1.5,
    });
  }
  if (named) {
    // The library's create is a named statement (prepared once per connection or instance): the same raw
    // INSERT prepared too, beside the unprepared one above (no target: the is the above).
    cases.push({
      name: 'create',
      ids: fixed('bench'),
      subject: (id) => create.execute({ id }),
      baseline: (id) =>
        named(
          'bench_raw_insert',
          `INSERT INTO sync_jobs (id, connector_id, connector, created_at, job_type, last_seen, metadata, status, trigger_method)
           VALUES ($1, $2, $3::text::json, now(), 'full', now(), '{}', 'pending', 'on_demand') RETURNING id`,
          [rawIds.next(), id, snapshot],
        ),
      baselineName: 'one raw INSERT ... RETURNING, prepared (named)',
    });
  }
  return cases;
}

async function run(label: string, cases: Case[], rounds: number, ms: number): Promise<Pair[]> {
  const out: Pair[] = [];
  const pick = process.env.BENCH_LIFECYCLE_OPS?.split(',');
  for (const c of cases) {
    if (pick && !pick.some((p) => c.name.startsWith(p))) continue;
    for (const concurrency of [1, 16]) out.push(await measure(label, c, concurrency, rounds, ms));
  }
  return out;
}

/** PostgreSQL server: a throwaway database on DATABASE_URL (default: the local server). */
export async function lifecycleFigures(rounds: number, ms: number): Promise<Pair[]> {
  const database = await throwawayDatabase('lc');
  const pool = new pg.Pool({ connectionString: database.url, max: 16 });
  pool.on('error', (error) => console.error(`idle PostgreSQL client: ${error.message}`));
  const boss = new PgBoss({ connectionString: database.url, max: 16, schema: 'pgboss_bench', supervise: false, schedule: false });
  boss.on('error', (e: Error) => console.error(`pg-boss: ${e.message}`));
  try {
    await boss.start();
    await boss.createQueue('bench');
    const db = queryableFromPool(pool);
    const named: NamedQuery = (name, text, values) => pool.query({ name, text, values });
    return await run('PostgreSQL', await casesOn(db, (t, p) => pool.query(t, p), boss, 20_000, named), rounds, ms);
  } finally {
    await boss.stop({ graceful: false, wait: true });
    await pool.end();
    await database.drop();
  }
}

/** PGlite in memory. */
export async function lifecycleFiguresPglite(rounds: number, ms: number): Promise<Pair[]> {
  const db = await PGlite.create();
  try {
    const q = queryableFromPglite(db);
    const named: NamedQuery = (name, text, values) => q.query(text, values, { prepare: name });
    return await run('PGlite', await casesOn(q, (t, p) => db.query(t, p), undefined, 5_000, named), rounds, ms);
  } finally {
    await db.close();
  }
}
