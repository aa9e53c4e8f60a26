/**
 * "Cost does not grow with the work": on the real server, the plans of the statements
 * the store and the queue actually send (recorded from their calls, not copied here, so this
 * cannot drift from what runs) use indexes on a table large enough that the planner prefers an
 * index wherever one fits: no Seq Scan on `sync_jobs`, and a bounded page (a Limit where the
 * statement orders) reads an index in that order instead of sorting the table.
 * The table is seeded as bench/scale.ts seeds it (realistic statuses, 1,000 connectors).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaimNextSyncJob, ClaimSyncJob, CreateSyncJob, claimSyncJobPlan, GetSyncJob, ListSyncJobs, SystemClock } from '../../../src/internal.js';
import { PostgresConnectorStore, PostgresSyncJobQueue, PostgresSyncJobStore } from '../../../adapters/postgres/index.js';
import type { Queryable, SqlExecutor } from '../../../adapters/postgres/index.js';
import { connector, testIds } from 'connector-sync-jobs/testing';
import { scaleJobId, seedScale } from '../../../bench/scale.js';
import { serverFlavour } from './flavours.js';
import type { OpenDatabase } from './flavours.js';

/**
 * Jobs in the table: enough that a Seq Scan loses to any index that fits; 50 connectors, so a
 * connector has 1,000 jobs (as at 1,000,000 jobs of 1,000 connectors in the bench).
 */
const ROWS = 50_000;
const CONNECTORS = 50;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

interface Statement {
  text: string;
  params: readonly unknown[];
  /** The name it was sent under (a prepared statement), if any. */
  name?: string;
}

/** A Queryable that records every statement with its parameters (transactions included). */
function recording(q: Queryable): { q: Queryable; take: () => Statement[] } {
  let statements: Statement[] = [];
  const wrap = (x: SqlExecutor): SqlExecutor => ({
    query: (text, params = [], options) => {
      statements.push({ text, params, name: options?.prepare });
      return x.query(text, params, options);
    },
    exec: (sql) => {
      statements.push({ text: sql, params: [] });
      return x.exec(sql);
    },
  });
  return {
    q: { ...wrap(q), transaction: (fn, options) => q.transaction((tx) => fn(wrap(tx)), options) },
    take: () => {
      const taken = statements;
      statements = [];
      return taken;
    },
  };
}

const nodesOf = (root: PlanNode): PlanNode[] => [root, ...(root.Plans ?? []).flatMap(nodesOf)];

/** The nodes under each Limit (its whole subtree). */
const underLimits = (root: PlanNode): PlanNode[][] =>
  nodesOf(root)
    .filter((n) => n['Node Type'] === 'Limit')
    .map((limit) => (limit.Plans ?? []).flatMap(nodesOf));

describe.skipIf(!serverFlavour.enabled)('query plans on a large table (server, EXPLAIN)', () => {
  let d: OpenDatabase;
  let rec: ReturnType<typeof recording>;
  const clock = new SystemClock();

  beforeAll(async () => {
    d = await serverFlavour.open({ poolSize: 4 });
    await seedScale(d.q, ROWS, CONNECTORS);
    await new PostgresConnectorStore(d.q).upsert(connector('c1'));
    await d.q.exec('VACUUM ANALYZE sync_jobs');
    await d.q.exec('VACUUM ANALYZE connectors');
    rec = recording(d.q);
  });
  afterAll(async () => {
    await d?.close();
  });

  /**
   * The plan of each statement the call sent that touches sync_jobs (EXPLAIN only: nothing runs
   * again). A statement sent named (prepared once per connection) may run, after its first five
   * executions, on the server's generic plan, made without the parameters' values: its generic
   * plan (`plan_cache_mode = force_generic_plan`, set for one transaction on one connection) is
   * checked as well.
   */
  async function plansOf(call: () => Promise<unknown>): Promise<{ text: string; plan: PlanNode }[]> {
    rec.take();
    await call();
    const sent = rec.take().filter((s) => /\bsync_jobs\b/.test(s.text));
    expect(sent.length).toBeGreaterThan(0);
    const out: { text: string; plan: PlanNode }[] = [];
    const tree = (rows: { 'QUERY PLAN': unknown }[]): PlanNode => {
      const raw = rows[0]!['QUERY PLAN'];
      return ((typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[])[0]!.Plan;
    };
    for (const s of sent) {
      const rows = (await d.q.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${s.text}`, s.params)).rows;
      out.push({ text: s.text, plan: tree(rows) });
      if (s.name === undefined) continue;
      // the generic plan does not depend on the values: NULLs stand in for them
      const generic = await d.q.transaction(async (tx) => {
        await tx.exec('SET LOCAL plan_cache_mode = force_generic_plan');
        await tx.exec(`PREPARE plan_check AS ${s.text}`);
        try {
          const nulls = s.params.map(() => 'NULL').join(', ');
          return (await tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) EXECUTE plan_check(${nulls})`)).rows;
        } finally {
          await tx.exec('DEALLOCATE plan_check');
        }
      });
      out.push({ text: `generic plan of ${s.name}: ${s.text}`, plan: tree(generic) });
    }
    return out;
  }

  /**
   * No Seq Scan on sync_jobs; each Limit reads its rows through indexes: in the statement's order
   * from one of `order` (no Sort under the Limit), or, where a Sort is acceptable, from a set of
   * rows bounded by one of `sortedFrom` (one connector's jobs, the active jobs), never the table.
   */
  function expectIndexed(plans: { text: string; plan: PlanNode }[], order: readonly string[] = [], sortedFrom: readonly string[] = []): void {
    for (const { text, plan } of plans) {
      const nodes = nodesOf(plan);
      const seqScans = nodes.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'sync_jobs');
      expect({ text, seqScans }).toEqual({ text, seqScans: [] });
      for (const under of underLimits(plan)) {
        const types = under.map((n) => n['Node Type']);
        const indexes = under.flatMap((n) => (n['Index Name'] === undefined ? [] : [n['Index Name']]));
        const sorted = types.some((t) => t.includes('Sort'));
        const fits = sorted
          ? indexes.some((i) => sortedFrom.includes(i))
          : indexes.length > 0 && indexes.every((i) => order.includes(i));
        expect({ text, types, indexes, fits }).toEqual({ text, types, indexes, fits: true });
      }
    }
  }

  it('the table is as large as the test says, and realistic (mostly terminal, some pending)', async () => {
    const { rows } = await d.q.query<{ total: number; pending: number; completed: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'completed')::int AS completed FROM sync_jobs`,
    );
    expect(rows[0]!.total).toBe(ROWS);
    expect(rows[0]!.pending).toBeGreaterThan(0);
    expect(rows[0]!.completed).toBeGreaterThan(ROWS * 0.9);
  });

  it('list: by connector, by status, both, and none with the default page: index scans, the page in index order', async () => {
    const list = new ListSyncJobs(new PostgresSyncJobStore(rec.q));
    // [params, the index giving the page in order, indexes a Sort may read (rows bounded by them)]
    const cases: [Record<string, string>, string[], string[]?][] = [
      [{ connector_id: 'scale-conn-7' }, ['sync_jobs_list_connector_idx']],
      [{ connector_id: 'scale-conn-7', size: '20', from: '40' }, ['sync_jobs_list_connector_idx']],
      // pending jobs are few (active ones): the planner may also sort them from the partial indexes of active jobs
      [{ status: 'pending' }, ['sync_jobs_list_status_idx'], ['sync_jobs_claimable_idx', 'sync_jobs_active_idx']],
      // most jobs are completed: reading the whole list in order and skipping the others stops as soon
      [{ status: 'completed', size: '20' }, ['sync_jobs_list_status_idx', 'sync_jobs_list_idx']],
      [{ connector_id: 'scale-conn-7', job_type: 'full,incremental' }, ['sync_jobs_list_connector_idx']],
      // the page: 100 rows along the list index; the count of every job: an index-only scan of a
      // whole index, so it grows with the table (no Seq Scan, but not flat: bench `list-all`)
      [{}, ['sync_jobs_list_idx']],
    ];
    for (const [params, indexes, sortedFrom] of cases) {
      const plans = await plansOf(() => list.execute(params));
      expectIndexed(plans, indexes, sortedFrom);
    }
    // Connector AND status: no index has both in the list order (one more index on every write
    // is not worth it); the planner reads the connector's index in order, filtering the status,
    // or sorts the connector's matching jobs found through an index keyed on the connector (for
    // an active status, the active-job index): bounded by one connector's jobs either way.
    for (const status of ['completed', 'pending']) {
      const plans = await plansOf(() => list.execute({ connector_id: 'scale-conn-7', status }));
      expectIndexed(plans, ['sync_jobs_list_connector_idx'], ['sync_jobs_list_connector_idx', 'sync_jobs_active_idx']);
    }
    // the statement answers on that data: connector 7 has every 50th job, newest first
    const page = await new ListSyncJobs(new PostgresSyncJobStore(d.q)).execute({ connector_id: 'scale-conn-7', size: '2' });
    expect(page.count).toBe(ROWS / CONNECTORS);
    expect(page.results.map((j) => j.id)).toEqual([scaleJobId(ROWS - 43), scaleJobId(ROWS - 93)]);
  });

  it('claim-next (SyncJobQueue, with and without filters) and the claim of one job: index scans, the next job from the claim-order index', async () => {
    const queue = new PostgresSyncJobQueue(rec.q);
    const next = new ClaimNextSyncJob(queue, clock);
    const claimed = await plansOf(() => next.execute({ worker_hostname: 'w1' }));
    expectIndexed(claimed, ['sync_jobs_claimable_idx']);
    const filtered = await plansOf(() =>
      queue.claimNext({ connectorIds: ['scale-conn-3', 'scale-conn-4'], jobTypes: ['full'] }, claimSyncJobPlan({ workerHostname: 'w2' }, clock.now())),
    );
    // filtered by connector and job type: either the claim-order index, or the few active jobs
    // of those connectors from the active-job index (migration 1), sorted
    expectIndexed(filtered, ['sync_jobs_claimable_idx'], ['sync_jobs_active_idx', 'sync_jobs_claimable_idx']);
    const withCursor = await plansOf(() => next.execute({ worker_hostname: 'w3', sync_cursor: { page: 2 } }));
    expectIndexed(withCursor, ['sync_jobs_claimable_idx']);

    // a pending job to claim by id: the newest seeded jobs are the active ones, 2 in 5 pending
    const pending = (await d.q.query<{ id: string }>(`SELECT id FROM sync_jobs WHERE status = 'pending' ORDER BY created_at DESC LIMIT 1`)).rows[0]!.id;
    const claim = new ClaimSyncJob(new PostgresSyncJobStore(rec.q), clock);
    const byId = await plansOf(() => claim.execute(pending, { worker_hostname: 'w4', sync_cursor: { page: 1 } }));
    expectIndexed(byId);
    expect(byId.every(({ plan }) => nodesOf(plan).some((n) => n['Index Name'] === 'sync_jobs_pkey'))).toBe(true);
  });

  it('create and get: index scans only', async () => {
    const jobs = new PostgresSyncJobStore(rec.q);
    const connectors = new PostgresConnectorStore(rec.q);
    await connectors.upsert(connector('c2'));
    for (const [id, oneActiveJobPerClass] of [['c1', false], ['c2', true]] as const) {
      const create = new CreateSyncJob(connectors, jobs, clock, testIds(`plan-${id}`), { oneActiveJobPerClass });
      // the policy's look for an active job of the class: the connector's active jobs, sorted
      expectIndexed(await plansOf(() => create.execute({ id, job_type: 'incremental' })), [], ['sync_jobs_active_idx']);
    }
    const keyed = new CreateSyncJob(connectors, jobs, clock, testIds('plan-key'));
    expectIndexed(await plansOf(() => keyed.execute({ id: 'c1' }, { idempotencyKey: 'plan-key' })));
    const get = new GetSyncJob(jobs);
    expectIndexed(await plansOf(() => get.execute(scaleJobId(12_345))));
  });
});
