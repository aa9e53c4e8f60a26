/**
 * Figures 2 and 3: creates through the library on PostgreSQL (a pg.Pool) and on PGlite, vs the
 * same statements a create needs (read the connector, insert the job) written by hand on the
 * same pool / instance. Concurrency 1 and 16; throughput and p50/p99 latency; rounds interleaved.
 */
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { CreateSyncJob, ElasticsearchIdGenerator, SystemClock, encodeSnapshot, snapshotConnector } from '../src/internal.js';
import { migrate, postgresStores, queryableFromPglite, queryableFromPool } from '../adapters/postgres/index.js';
import type { Queryable } from '../adapters/postgres/index.js';
import { benchConnector } from './core.js';
import { concurrent, inOrder, median, percentile, ratioStats, throwawayDatabase, type Pair } from './harness.js';

type RawQuery = (text: string, params: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

const READ = 'SELECT id, index_name, service_type, language, pipeline, configuration, filtering, deleted FROM connectors WHERE id = $1';
const INSERT = `INSERT INTO sync_jobs (id, connector_id, connector, created_at, deleted_document_count, indexed_document_count,
  indexed_document_volume, job_type, last_seen, metadata, status, total_document_count, trigger_method)
  VALUES ($1, $2, $3::text::json, $4::timestamptz, 0, 0, 0, 'full', $4::timestamptz, '{}', 'pending', 0, 'on_demand')`;

/**
 * The two-statement hand-written create (the library's earlier shape): read the
 * connector, insert the job, least work between them. What it does NOT guarantee: the insert
 * does not check the connector still exists (no orphan guard), no domain checks, no
 * idempotency or policy, the snapshot is spliced from the row without the snapshot rule.
 */
function rawCreate(query: RawQuery, ids: ElasticsearchIdGenerator): () => Promise<void> {
  return async () => {
    const { rows } = await query(READ, ['bench']);
    const c = rows[0] as Record<string, unknown>;
    const snapshot = JSON.stringify({
      id: c.id,
      index_name: c.index_name,
      language: c.language,
      pipeline: c.pipeline,
      service_type: c.service_type,
      configuration: c.configuration,
    });
    await query(INSERT, [ids.next(), 'bench', snapshot, new Date().toISOString()]);
  };
}

async function figuresOn(label: string, db: Queryable, raw: RawQuery, rounds: number, ms: number): Promise<Pair[]> {
  await migrate(db);
  // as postgresModule wires them: the create's lookup answers from the stores' connector cache
  const { connectors, lookup, jobs } = postgresStores(db);
  await connectors.upsert(benchConnector('bench', 20));
  const create = new CreateSyncJob(lookup, jobs, new SystemClock(), new ElasticsearchIdGenerator());
  const subjectOp = async () => {
    await create.execute({ id: 'bench' });
  };
  const baselineOp = rawCreate(raw, new ElasticsearchIdGenerator());
  // sanity: the hand-written statements store what the library stores
  void encodeSnapshot(snapshotConnector((await connectors.findById('bench'))!, 'full'));
  const out: Pair[] = [];
  for (const concurrency of [1, 16]) {
    const s: { ops: number; lat: number[] }[] = [];
    const b: { ops: number; lat: number[] }[] = [];
    for (let i = 0; i < rounds; i++) {
      const runS = async () => {
        const r = await concurrent(subjectOp, concurrency, ms);
        s.push({ ops: r.opsPerSec, lat: r.latencies });
      };
      const runB = async () => {
        const r = await concurrent(baselineOp, concurrency, ms);
        b.push({ ops: r.opsPerSec, lat: r.latencies });
      };
      await inOrder(i, runB, runS);
    }
    out.push({
      name: `${label}, concurrency ${concurrency}`,
      unit: 'creates/s',
      subject: median(s.map((x) => x.ops)),
      baseline: median(b.map((x) => x.ops)),
      ratio: ratioStats(s.map((x) => x.ops), b.map((x) => x.ops)),
      extra: {
        'p50 ms': median(s.map((x) => percentile(x.lat, 50))),
        'p99 ms': median(s.map((x) => percentile(x.lat, 99))),
        'raw p50 ms': median(b.map((x) => percentile(x.lat, 50))),
        'raw p99 ms': median(b.map((x) => percentile(x.lat, 99))),
      },
      target: 0.9,
      higherIsBetter: true,
    });
  }
  return out;
}

/** PostgreSQL server: a throwaway database on DATABASE_URL (default: the local server). */
export async function postgresFigures(rounds: number, ms: number): Promise<Pair[]> {
  const database = await throwawayDatabase('pg');
  const pool = new pg.Pool({ connectionString: database.url, max: 16 });
  // an idle client whose backend goes away (the DROP below) must not crash the benchmark
  pool.on('error', (error) => console.error(`idle PostgreSQL client: ${error.message}`));
  try {
    return await figuresOn('PostgreSQL server (pg.Pool, 16 connections)', queryableFromPool(pool), (t, p) => pool.query(t, p), rounds, ms);
  } finally {
    await pool.end();
    await database.drop();
  }
}

/** PGlite in memory. */
export async function pgliteFigures(rounds: number, ms: number): Promise<Pair[]> {
  const db = await PGlite.create();
  try {
    return await figuresOn('PGlite (in memory)', queryableFromPglite(db), (t, p) => db.query(t, p), rounds, ms);
  } finally {
    await db.close();
  }
}
