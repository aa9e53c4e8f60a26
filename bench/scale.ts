/**
 * Scale ("cost does not grow with the work"): create, get, claim-next, claim of a given
 * id and list-by-connector, p50 and p99 latency through the library at 0, 100,000 and 1,000,000
 * stored jobs on the PostgreSQL server (a throwaway database per size, all open at once) and at 0
 * and 100,000 on PGlite in memory, each size as a ratio to the 0-jobs figure. Rounds interleave
 * the sizes (the order alternates), so every ratio compares the same moment of a noisy machine.
 * Prints figures, asserts nothing about time.
 *
 * The stored jobs are seeded by ONE `INSERT ... SELECT generate_series` per size ({@link seedScale}):
 * 1,000 connectors, created over months (30 s apart), the newest 0.5% still active (pending,
 * in progress, suspended, canceling), the rest terminal (94% completed, 3% error, 3% canceled),
 * then `VACUUM ANALYZE` (what autovacuum gives a steady deployment). What is measured, per size:
 * - create: `CreateSyncJob` on the `bench` connector (no key, no policy: the common create);
 * - get: `GetSyncJob` of a random stored job (so a large table's pages are read from anywhere);
 * - claim-next: `SyncJobQueue.claimNext` without filters (the oldest pending job);
 * - claim: `ClaimSyncJob` of a given pending job (fresh pending rows seeded each round);
 * - list: `ListSyncJobs`, first page (20) of the `listed` connector's 100 jobs: the same page and
 *   count at every size, so what is measured is the table's size, not the connector's;
 * - list-all: `ListSyncJobs` without filters, first page of 20: its `count` is of every stored
 *   job, so it grows with the table (30 calls a round instead of `perRound`).
 */
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import {
  ClaimSyncJob,
  CreateSyncJob,
  ElasticsearchIdGenerator,
  GetSyncJob,
  ListSyncJobs,
  SystemClock,
  claimSyncJobPlan,
  encodeSnapshot,
  snapshotConnector,
} from '../src/internal.js';
import {
  PostgresConnectorStore,
  PostgresSyncJobQueue,
  PostgresSyncJobStore,
  migrate,
  queryableFromPglite,
  queryableFromPool,
} from '../adapters/postgres/index.js';
import type { Queryable } from '../adapters/postgres/index.js';
import { benchConnector } from './core.js';
import { median, percentile, ratioStats, throwawayDatabase, type Pair, type ThrowawayDatabase } from './harness.js';

/** Connectors the seeded jobs belong to (`scale-conn-0` ... `scale-conn-999`). */
export const SCALE_CONNECTORS = 1000;

/** The id of the seeded job number `i` (1-based). */
export const scaleJobId = (i: number): string => `scale-${String(i).padStart(8, '0')}`;

/**
 * `n` realistic stored jobs in ONE statement (plus the connectors they belong to), ids
 * {@link scaleJobId}(1..n), oldest first, job i of connector `scale-conn-<i % connectors>`
 * (default {@link SCALE_CONNECTORS}), 30 s apart
 * (1,000,000 jobs span about a year before now), 70% full, 20% incremental, 10% access control,
 * a quarter on demand; the newest 0.5% active (2 in 5 pending, then in progress, suspended,
 * canceling), the rest terminal: 94% completed, 3% error, 3% canceled, with the timestamps,
 * counters, worker hostname and error a finished job has. The snapshot is the one the library
 * stores for a 5-field configuration, with the job's connector id. No ANALYZE here.
 */
export async function seedScale(db: Queryable, n: number, connectors = SCALE_CONNECTORS): Promise<void> {
  const template = JSON.stringify(encodeSnapshot(snapshotConnector(benchConnector('__CONNECTOR__', 5), 'full')));
  await db.query(
    `INSERT INTO connectors (id, index_name, service_type, language)
     SELECT 'scale-conn-' || c, 'search-scale-conn-' || c, 'google_drive', 'en' FROM generate_series(0, $1::int - 1) c
     ON CONFLICT (id) DO NOTHING`,
    [connectors],
  );
  await db.query(
    `INSERT INTO sync_jobs (id, connector_id, connector, created_at, job_type, trigger_method, status, last_seen,
       started_at, completed_at, cancelation_requested_at, canceled_at, error, worker_hostname,
       deleted_document_count, indexed_document_count, indexed_document_volume, total_document_count, metadata)
     SELECT 'scale-' || lpad(i::text, 8, '0'), c, replace($1, '__CONNECTOR__', c)::json, at,
       CASE WHEN i % 10 < 7 THEN 'full' WHEN i % 10 < 9 THEN 'incremental' ELSE 'access_control' END,
       CASE WHEN i % 4 = 0 THEN 'on_demand' ELSE 'scheduled' END,
       s,
       CASE WHEN s = 'pending' THEN at ELSE at + interval '5 minutes' END,
       CASE WHEN s = 'pending' THEN NULL ELSE at + interval '5 seconds' END,
       CASE WHEN s IN ('completed', 'error', 'canceled') THEN at + interval '5 minutes' END,
       CASE WHEN s IN ('canceled', 'canceling') THEN at + interval '4 minutes' END,
       CASE WHEN s = 'canceled' THEN at + interval '5 minutes' END,
       CASE WHEN s = 'error' THEN 'Connection to the content source timed out' END,
       CASE WHEN s = 'pending' THEN NULL ELSE 'worker-' || (i % 8) END,
       (i % 7), (i % 5000), (i % 5000) * 3, (i % 5000) + (i % 7),
       '{}'
     FROM (
       SELECT i, 'scale-conn-' || (i % $3::int) AS c, now() - ($2::int - i) * interval '30 seconds' AS at,
         CASE
           WHEN i > $2::int - $2::int / 200 THEN (ARRAY['pending', 'pending', 'in_progress', 'suspended', 'canceling'])[1 + i % 5]
           WHEN (i::bigint * 7919) % 100 < 3 THEN 'error'
           WHEN (i::bigint * 7919) % 100 < 6 THEN 'canceled'
           ELSE 'completed'
         END AS s
       FROM generate_series(1, $2::int) i
     ) rows`,
    [template, n, connectors],
  );
}

/** `n` pending jobs of `connectorId` created now, ids `prefix` + i, in one statement. */
async function seedPending(db: Queryable, snapshot: string, connectorId: string, prefix: string, n: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO sync_jobs (id, connector_id, connector, created_at, job_type, last_seen, metadata, status, trigger_method)
     SELECT $2 || i, $3, $1::text::json, now() - i * interval '1 microsecond', 'full', now(), '{}', 'pending', 'on_demand'
     FROM generate_series(1, $4::int) AS i RETURNING id`,
    [snapshot, prefix, connectorId, n],
  );
  return rows.map((r) => r.id);
}

/** One database (one size) with the library wired on it. */
interface Site {
  size: number;
  db: Queryable;
  ops: Record<OpName, (round: number) => Promise<() => Promise<unknown>>>;
}

const OPS = ['create', 'get', 'claim-next', 'claim', 'list', 'list-all'] as const;
type OpName = (typeof OPS)[number];

const OP_LABEL: Record<OpName, string> = {
  create: 'create',
  get: 'get (random stored job)',
  'claim-next': 'claim-next (SyncJobQueue)',
  claim: 'claim of a given pending job',
  list: 'list by connector (first page of 20)',
  'list-all': 'list, no filter (first page of 20, count of every job)',
};

/** Calls per round of an operation: the unfiltered list counts the whole table, so fewer of them. */
const callsOf = (o: OpName, perRound: number): number => (o === 'list-all' ? Math.min(perRound, 30) : perRound);

/** Fixtures and the library on a migrated database holding `size` seeded jobs; `perRound` ops per round. */
async function siteOn(db: Queryable, size: number, perRound: number, queue: PostgresSyncJobQueue): Promise<Site> {
  const started = performance.now();
  if (size > 0) await seedScale(db, size);
  const connectors = new PostgresConnectorStore(db);
  const connector = benchConnector('bench', 20);
  await connectors.upsert(connector);
  await connectors.upsert(benchConnector('listed', 5));
  const snapshot = JSON.stringify(encodeSnapshot(snapshotConnector(connector, 'full')));
  const listed = await seedPending(db, snapshot, 'listed', 'listed-', 100);
  await db.exec('VACUUM ANALYZE sync_jobs');
  await db.exec('VACUUM ANALYZE connectors');
  if (size > 0) console.error(`  ${size.toLocaleString('en-US')} jobs seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const jobs = new PostgresSyncJobStore(db);
  const clock = new SystemClock();
  const create = new CreateSyncJob(connectors, jobs, clock, new ElasticsearchIdGenerator());
  const get = new GetSyncJob(jobs);
  const claim = new ClaimSyncJob(jobs, clock);
  const list = new ListSyncJobs(jobs);
  const randomId = (): string => (size > 0 ? scaleJobId(1 + Math.floor(Math.random() * size)) : listed[Math.floor(Math.random() * listed.length)]!);
  const tag = Math.random().toString(36).slice(2, 6);
  return {
    size,
    db,
    ops: {
      create: async () => () => create.execute({ id: 'bench' }),
      get: async () => () => get.execute(randomId()),
      'claim-next': async (round) => {
        // enough claimable jobs for this round whatever the seeded ones (none at size 0)
        await seedPending(db, snapshot, 'bench', `next-${tag}-${round}-`, perRound);
        return async () => {
          const job = await queue.claimNext({}, claimSyncJobPlan({ workerHostname: 'bench-host' }, clock.now()));
          if (!job) throw new Error('claim-next found nothing to claim');
        };
      },
      claim: async (round) => {
        const ids = await seedPending(db, snapshot, 'bench', `claim-${tag}-${round}-`, perRound);
        let i = 0;
        return () => claim.execute(ids[i++]!, { worker_hostname: 'bench-host' });
      },
      list: async () => () => list.execute({ connector_id: 'listed', size: '20' }),
      'list-all': async () => () => list.execute({ size: '20' }),
    },
  };
}

/** Latencies (ms) of `n` calls of `op`, one after another. */
async function latencies(op: () => Promise<unknown>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op();
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * `rounds` rounds; in each, every operation runs `perRound` times on every site, the sites in
 * alternating order. Per size > 0 and operation: p50 and p99 as ratios to the 0-jobs site's, the
 * ratio taken per round (median, min, max over rounds).
 */
async function measure(label: string, sites: Site[], rounds: number, perRound: number): Promise<Pair[]> {
  const pick = process.env.BENCH_SCALE_OPS?.split(',');
  const ops = OPS.filter((o) => !pick || pick.includes(o));
  // p50/p99 per op, site index, round
  const p: Record<OpName, { p50: number[]; p99: number[] }[]> = Object.fromEntries(
    ops.map((o) => [o, sites.map(() => ({ p50: [] as number[], p99: [] as number[] }))]),
  ) as Record<OpName, { p50: number[]; p99: number[] }[]>;
  // warm-up: JIT, plans, pool connections
  for (const site of sites) for (const o of ops) await latencies(await site.ops[o](-1), Math.min(50, callsOf(o, perRound) / 3));
  for (let r = 0; r < rounds; r++) {
    // What autovacuum does in a deployment: without it the 0-jobs table, grown by the bench's own
    // creates and claims, keeps the statistics of its first 100 rows (all of the `listed`
    // connector), and the planner answers that connector's list by walking the whole table.
    for (const site of sites) await site.db.exec('ANALYZE sync_jobs');
    const order = r % 2 === 0 ? sites.map((_, i) => i) : sites.map((_, i) => sites.length - 1 - i);
    for (const o of ops) {
      const prepared = await Promise.all(sites.map((s) => s.ops[o](r)));
      for (const i of order) {
        const lat = await latencies(prepared[i]!, callsOf(o, perRound));
        p[o][i]!.p50.push(percentile(lat, 50));
        p[o][i]!.p99.push(percentile(lat, 99));
      }
    }
  }
  const out: Pair[] = [];
  for (const o of ops) {
    const base = p[o][0]!;
    for (let i = 1; i < sites.length; i++) {
      for (const q of ['p50', 'p99'] as const) {
        out.push({
          name: `${label}: ${OP_LABEL[o]} ${q} at ${sites[i]!.size.toLocaleString('en-US')} jobs vs 0`,
          unit: 'ms',
          subject: median(p[o][i]![q]),
          baseline: median(base[q]),
          ratio: ratioStats(p[o][i]![q], base[q]),
          target: 1.2,
          higherIsBetter: false,
        });
      }
    }
  }
  return out;
}

/**
 * PostgreSQL server: a throwaway database per size on DATABASE_URL (default: the local server),
 * all dropped at the end. `largest` = 1,000,000 for the full run, 100,000 for --quick.
 */
export async function scaleFigures(rounds: number, perRound: number, largest: number): Promise<Pair[]> {
  const sizes = [0, 100_000, 1_000_000].filter((s) => s <= largest);
  const databases: ThrowawayDatabase[] = [];
  const pools: pg.Pool[] = [];
  try {
    const sites: Site[] = [];
    for (const size of sizes) {
      const database = await throwawayDatabase(`scale_${size}`);
      databases.push(database);
      const pool = new pg.Pool({ connectionString: database.url, max: 2 });
      // DROP DATABASE ... WITH (FORCE) at the end terminates the pools' idle connections (57P01): expected
      pool.on('error', (error) => {
        if ((error as { code?: string }).code !== '57P01') console.error(`idle PostgreSQL client: ${error.message}`);
      });
      pools.push(pool);
      const db = queryableFromPool(pool);
      await migrate(db);
      sites.push(await siteOn(db, size, perRound, new PostgresSyncJobQueue(db)));
    }
    const out = await measure('PostgreSQL', sites, rounds, perRound);
    const sizesMb = await Promise.all(
      sites.map(async (s) => (await s.db.query<{ mb: number }>(`SELECT pg_total_relation_size('sync_jobs') / 1048576.0 AS mb`)).rows[0]!.mb),
    );
    for (const f of out) f.extra = { 'sync_jobs MB per size': sizesMb.map((m) => Math.round(Number(m))).join(' / '), 'calls per round': perRound };
    return out;
  } finally {
    for (const pool of pools) await pool.end();
    for (const database of databases) await database.drop();
  }
}

/** PGlite in memory: 0 and 100,000 jobs, one instance each (queue as the module builds it: VACUUM every 200 claims). */
export async function scaleFiguresPglite(rounds: number, perRound: number): Promise<Pair[]> {
  const instances: PGlite[] = [];
  try {
    const sites: Site[] = [];
    for (const size of [0, 100_000]) {
      const pglite = await PGlite.create();
      instances.push(pglite);
      const db = queryableFromPglite(pglite);
      await migrate(db);
      sites.push(await siteOn(db, size, perRound, new PostgresSyncJobQueue(db, undefined, { vacuumEveryClaims: 200 })));
    }
    return await measure('PGlite', sites, rounds, perRound);
  } finally {
    for (const pglite of instances) await pglite.close();
  }
}
