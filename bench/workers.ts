/**
 * Workers: 8 workers draining 10,000 pending jobs (claim-next, then a complete
 * write), on the PostgreSQL server, PGlite and memory, beside pg-boss's and graphile-worker's own
 * fetch/complete loops on the same server in the same run (dev dependencies of the bench only);
 * and the wake-up latency from a create to a waiting worker's claim (p50/p99). Prints figures,
 * asserts nothing about time; double claims and jobs left are counted and printed.
 */
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import PgBoss from 'pg-boss';
import { Logger, makeWorkerUtils, run as runGraphileWorker } from 'graphile-worker';

/** graphile-worker logs every job at info: keep warnings and errors only. */
const quietLogger = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') console.error(`graphile-worker: ${message}`);
});
import {
  ClaimNextSyncJob,
  CreateSyncJob,
  ElasticsearchIdGenerator,
  Instant,
  SystemClock,
  allowedFrom,
  claimSyncJobPlan,
  encodeSnapshot,
  newSyncJob,
  snapshotConnector,
} from '../src/internal.js';
import type { SyncJob, SyncJobPlan, SyncJobQueue, SyncJobStore } from '../src/internal.js';
import { MemoryConnectorStore, MemorySyncJobQueue, MemorySyncJobStore } from '../adapters/memory/index.js';
import {
  PostgresConnectorStore,
  PostgresSyncJobQueue,
  PostgresSyncJobStore,
  migrate,
  pgliteNotifications,
  poolNotifications,
  queryableFromPglite,
  queryableFromPool,
} from '../adapters/postgres/index.js';
import type { NotificationSource, Queryable } from '../adapters/postgres/index.js';
import { benchConnector } from './core.js';
import { percentile, throwawayDatabase, type Pair } from './harness.js';

const JOBS = 10_000;
const WORKERS = 8;

interface Drain {
  claimsPerSec: number;
  doubleClaims: number;
  left: number;
  seconds: number;
}

/** The worker's "done" write (the Python framework's `SyncJob.done`): completed at now, a checked move. */
function completePlan(now: Instant): SyncJobPlan {
  return { cases: [{ from: allowedFrom('completed'), status: 'completed', set: { completedAt: now, lastSeen: now } }], refuse: 'completed', merge: {} };
}

/** 8 workers: claim-next (no wait) then complete, until nothing is claimable. */
async function drainLibrary(queue: SyncJobQueue, jobs: SyncJobStore, countLeft: () => Promise<number>): Promise<Drain> {
  const seen = new Map<string, number>();
  const clock = new SystemClock();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      for (;;) {
        const job = await queue.claimNext({}, claimSyncJobPlan({ workerHostname: `bench-${w}` }, clock.now()));
        if (!job) return;
        seen.set(job.id, (seen.get(job.id) ?? 0) + 1);
        await jobs.apply(job.id, completePlan(clock.now()));
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const doubleClaims = [...seen.values()].filter((n) => n > 1).length;
  return { claimsPerSec: seen.size / seconds, doubleClaims, left: await countLeft(), seconds };
}

/** 10,000 pending jobs in one statement (the bench measures the drain, not the inserts). */
async function seedSql(db: Queryable): Promise<void> {
  const c = benchConnector('bench', 5);
  await new PostgresConnectorStore(db).upsert(c);
  const snapshot = JSON.stringify(encodeSnapshot(snapshotConnector(c, 'full')));
  await db.query(
    `INSERT INTO sync_jobs (id, connector_id, connector, created_at, job_type, last_seen, metadata, status, trigger_method)
     SELECT 'job-' || lpad(i::text, 6, '0'), 'bench', $1::text::json, now() + i * interval '1 microsecond', 'full',
            now(), '{}', 'pending', 'on_demand'
     FROM generate_series(1, ${JOBS}) AS i`,
    [snapshot],
  );
}

async function libraryDrainSql(db: Queryable, embedded: boolean): Promise<Drain> {
  await seedSql(db);
  const left = async () =>
    Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sync_jobs WHERE status IN ('pending', 'suspended')`)).rows[0]!.n);
  // PGlite has no autovacuum: the queue vacuums every 200 claims, as postgresModule sets it up
  return drainLibrary(new PostgresSyncJobQueue(db, undefined, { vacuumEveryClaims: embedded ? 200 : 0 }), new PostgresSyncJobStore(db), left);
}

async function libraryDrainMemory(): Promise<Drain> {
  const connectors = new MemoryConnectorStore();
  const jobs = new MemorySyncJobStore(connectors);
  const c = benchConnector('bench', 5);
  await connectors.upsert(c);
  const t0 = Instant.ofEpochMillis(Date.now());
  for (let i = 0; i < JOBS; i++) {
    await jobs.insert(newSyncJob(`job-${i}`, { connectorId: 'bench', jobType: 'full', triggerMethod: 'on_demand' }, c, t0.plusMicros(i)));
  }
  const left = async () => (await jobs.list({ from: 0, size: 0, status: 'pending' })).count;
  return drainLibrary(new MemorySyncJobQueue(jobs, connectors), jobs, left);
}

/** pg-boss 10: 10,000 jobs inserted in one call, 8 loops of its own fetch + complete. */
async function pgBossDrain(url: string): Promise<Drain> {
  const boss = new PgBoss({ connectionString: url, max: 10, schema: 'pgboss_bench' });
  boss.on('error', (e: Error) => console.error(`pg-boss: ${e.message}`));
  await boss.start();
  try {
    const name = 'bench';
    await boss.createQueue(name);
    await boss.insert(Array.from({ length: JOBS }, (_, i) => ({ name, data: { i } })));
    const seen = new Map<number, number>();
    const start = performance.now();
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        for (;;) {
          const [job] = await boss.fetch<{ i: number }>(name);
          if (!job) return;
          seen.set(job.data.i, (seen.get(job.data.i) ?? 0) + 1);
          await boss.complete(name, job.id);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const left = await boss.getQueueSize(name);
    return { claimsPerSec: seen.size / seconds, doubleClaims: [...seen.values()].filter((n) => n > 1).length, left, seconds };
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/** graphile-worker: 10,000 jobs added in one call, its runner with concurrency 8 (its own get_job / complete loop). */
async function graphileDrain(url: string): Promise<Drain> {
  const utils = await makeWorkerUtils({ connectionString: url, schema: 'graphile_bench', logger: quietLogger });
  try {
    await utils.migrate();
    await utils.addJobs(Array.from({ length: JOBS }, (_, i) => ({ identifier: 'bench', payload: { i } })));
    const seen = new Map<number, number>();
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    const start = performance.now();
    const runner = await runGraphileWorker({
      connectionString: url,
      schema: 'graphile_bench',
      concurrency: WORKERS,
      noHandleSignals: true,
      pollInterval: 1000,
      logger: quietLogger,
      taskList: {
        bench: async (payload) => {
          const i = (payload as { i: number }).i;
          seen.set(i, (seen.get(i) ?? 0) + 1);
          if (seen.size === JOBS) resolveDone();
        },
      },
    });
    await done;
    const seconds = (performance.now() - start) / 1000;
    await runner.stop();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const left = Number((await pool.query('SELECT count(*)::int AS n FROM graphile_bench._private_jobs')).rows[0].n);
    await pool.end();
    return { claimsPerSec: seen.size / seconds, doubleClaims: [...seen.values()].filter((n) => n > 1).length, left, seconds };
  } finally {
    await utils.release();
  }
}

/** Create -> a waiting worker's claim, `samples` times: p50/p99 in ms. */
async function wakeUp(db: Queryable, notifications: NotificationSource | undefined, memory: boolean, samples: number): Promise<{ p50: number; p99: number }> {
  let connectors;
  let jobs: SyncJobStore;
  let queue: SyncJobQueue & { close?: () => Promise<void> };
  if (memory) {
    const mc = new MemoryConnectorStore();
    const mj = new MemorySyncJobStore(mc);
    connectors = mc;
    jobs = mj;
    queue = new MemorySyncJobQueue(mj, mc);
  } else {
    connectors = new PostgresConnectorStore(db);
    jobs = new PostgresSyncJobStore(db);
    queue = new PostgresSyncJobQueue(db, notifications);
  }
  await connectors.upsert(benchConnector('wake', 5));
  const create = new CreateSyncJob(connectors, jobs, new SystemClock(), new ElasticsearchIdGenerator());
  const claimNext = new ClaimNextSyncJob(queue, new SystemClock());
  const lat: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const waiting = claimNext.execute({ worker_hostname: 'w', wait_timeout: '10s', filters: { connector_ids: ['wake'] } });
      await new Promise((r) => setTimeout(r, 20));
      const t0 = performance.now();
      await create.execute({ id: 'wake' });
      const got = await waiting;
      if (!got) throw new Error('wake-up bench: the waiting worker got nothing');
      lat.push(performance.now() - t0);
    }
  } finally {
    await queue.close?.();
  }
  return { p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

function pair(name: string, subject: Drain, baseline: Drain, baselineName: string): Pair {
  const r = subject.claimsPerSec / baseline.claimsPerSec;
  return {
    name,
    unit: 'claims/s',
    subject: subject.claimsPerSec,
    baseline: baseline.claimsPerSec,
    ratio: { median: r, min: r, max: r },
    higherIsBetter: true,
    extra: {
      baseline: baselineName,
      'double claims': `${subject.doubleClaims} (baseline ${baseline.doubleClaims})`,
      'left': `${subject.left} (baseline ${baseline.left})`,
      seconds: `${subject.seconds.toFixed(2)} (baseline ${baseline.seconds.toFixed(2)})`,
    },
  };
}

function single(name: string, d: Drain): Pair {
  return {
    name,
    unit: 'claims/s',
    subject: d.claimsPerSec,
    baseline: Number.NaN,
    ratio: { median: Number.NaN, min: Number.NaN, max: Number.NaN },
    higherIsBetter: true,
    extra: { 'double claims': d.doubleClaims, left: d.left, seconds: d.seconds.toFixed(2) },
  };
}

function latency(name: string, l: { p50: number; p99: number }): Pair {
  return {
    name,
    unit: 'ms p50',
    subject: l.p50,
    baseline: Number.NaN,
    ratio: { median: Number.NaN, min: Number.NaN, max: Number.NaN },
    higherIsBetter: false,
    extra: { p99: l.p99.toFixed(1) },
  };
}

/** The section of `npm run bench` (`--only=workers`). */
export async function workersFigures(samples: number): Promise<Pair[]> {
  const out: Pair[] = [];
  const database = await throwawayDatabase('workers');
  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
  pool.on('error', (error) => console.error(`idle PostgreSQL client: ${error.message}`));
  try {
    const db = queryableFromPool(pool);
    await migrate(db);
    const ours = await libraryDrainSql(db, false);
    const boss = await pgBossDrain(database.url);
    const graphile = await graphileDrain(database.url);
    out.push(pair('drain 10k, 8 workers: PostgreSQL vs pg-boss 10', ours, boss, 'pg-boss fetch+complete'));
    out.push(pair('drain 10k, 8 workers: PostgreSQL vs graphile-worker 0.17', ours, graphile, 'graphile-worker runner, concurrency 8'));
    out.push(latency('wake-up create->claim: PostgreSQL (LISTEN/NOTIFY)', await wakeUp(db, poolNotifications(pool), false, samples)));
  } finally {
    await pool.end();
    await database.drop();
  }
  const lite = await PGlite.create();
  try {
    const db = queryableFromPglite(lite);
    await migrate(db);
    out.push(single('drain 10k, 8 workers: PGlite', await libraryDrainSql(db, true)));
    out.push(latency('wake-up create->claim: PGlite (LISTEN/NOTIFY in-process)', await wakeUp(db, pgliteNotifications(lite), false, samples)));
  } finally {
    await lite.close();
  }
  out.push(single('drain 10k, 8 workers: memory', await libraryDrainMemory()));
  out.push(latency('wake-up create->claim: memory (event)', await wakeUp(undefined as never, undefined, true, samples)));
  return out;
}
