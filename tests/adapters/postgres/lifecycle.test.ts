/**
 * What is Postgres-specific in the sync job lifecycle (the generic behaviour is the contract
 * suite's): migration 2 on a version-1 database with rows, the `sync_cursor` column, which
 * columns an update writes, microseconds through `timestamptz` in any session time zone, the
 * row lock under real concurrency, and the list's use of its indexes (EXPLAIN).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Instant,
  InvalidTransitionError,
  UnstorableValueError,
  cancelSyncJobPlan,
  checkInSyncJobPlan,
  claimSyncJobPlan,
  errorSyncJobPlan,
  newSyncJob,
  updateSyncJobStatsPlan,
} from '../../../src/internal.js';
import type { JobType, JsonObject, SyncJob, SyncJobPlan } from '../../../src/internal.js';
import {
  MIGRATIONS,
  PostgresConnectorStore,
  PostgresSyncJobStore,
  migrate,
  queryableFromPool,
} from '../../../adapters/postgres/index.js';
import type { Queryable, SqlExecutor } from '../../../adapters/postgres/index.js';
import { listStatement } from '../../../adapters/postgres/sql/list-sync-jobs.js';
import { readAndApplySyncJobPlan } from '../../../adapters/postgres/sql/read-and-apply-sync-job-plan.js';
import { PLAIN } from '../../../adapters/postgres/columns/job-columns.js';
import { appliedJob, connector } from 'connector-sync-jobs/testing';
import { flavours, serverFlavour } from './flavours.js';
import type { OpenDatabase } from './flavours.js';
import { poolOn } from './pg-helpers.js';

const T0 = Instant.parse('2023-12-04T08:45:50.567149Z')!;
const at = (micros: number): Instant => T0.plusMicros(micros);

/** A Queryable that records every statement's text (transactions included). */
function recording(q: Queryable): { q: Queryable; statements: string[] } {
  const statements: string[] = [];
  const wrap = (x: SqlExecutor): SqlExecutor => ({
    query: (text, params) => {
      statements.push(text);
      return x.query(text, params);
    },
    exec: (sql) => x.exec(sql),
  });
  return { q: { ...wrap(q), transaction: (fn) => q.transaction((tx) => fn(wrap(tx))) }, statements };
}

/** The fallback path of `apply` on its own: read, the plan in JavaScript, one UPDATE guarded on the row version. */
async function readAndApply(q: Queryable, id: string, plan: SyncJobPlan): Promise<SyncJob | null> {
  return (await readAndApplySyncJobPlan(q, () => PLAIN, id, plan))?.job ?? null;
}

function job(id: string, connectorId: string, createdAt: Instant, jobType: JobType = 'full'): SyncJob {
  return newSyncJob(id, { connectorId, jobType, triggerMethod: 'on_demand' }, connector(connectorId), createdAt);
}

const claim = (workerHostname: string, syncCursor?: JsonObject): SyncJobPlan =>
  claimSyncJobPlan(syncCursor ? { workerHostname, syncCursor } : { workerHostname }, at(1_000_000));

for (const flavour of flavours) {
  describe.skipIf(!flavour.enabled)(`lifecycle on ${flavour.name}`, () => {
    let d: OpenDatabase;
    let connectors: PostgresConnectorStore;
    let jobs: PostgresSyncJobStore;
    beforeAll(async () => {
      d = await flavour.open({ poolSize: 25 });
      connectors = new PostgresConnectorStore(d.q);
      jobs = new PostgresSyncJobStore(d.q);
    });
    afterAll(async () => {
      await d?.close();
    });
    beforeEach(async () => {
      await d.reset();
      await connectors.upsert(connector('c1'));
    });

    const columns = async (id: string) =>
      (
        await d.q.query<{ connector: string; sync_cursor: string | null; created_at: string; last_seen: string }>(
          `SELECT connector::text AS connector, sync_cursor::text AS sync_cursor,
                  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS created_at,
                  to_char(last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS last_seen
           FROM sync_jobs WHERE id = $1`,
          [id],
        )
      ).rows[0]!;

    it('a claim writes the cursor to sync_cursor (merged as Elasticsearch merges), never the snapshot text', async () => {
      await jobs.insert(job('j1', 'c1', T0));
      const before = await columns('j1');
      expect(before.sync_cursor).toBeNull();
      expect(JSON.parse(before.connector)).not.toHaveProperty('sync_cursor');

      const claimed = await appliedJob(jobs, 'j1', claim('w1', { page: 1, deep: { a: 1 } }));
      expect(claimed!.connector.syncCursor).toEqual({ page: 1, deep: { a: 1 } });
      const after = await columns('j1');
      expect(after.connector).toBe(before.connector);
      expect(JSON.parse(after.sync_cursor!)).toEqual({ page: 1, deep: { a: 1 } });
      expect(await jobs.get('j1')).toEqual(claimed);

      // A suspended job claimed again merges the new cursor into the stored one.
      await d.q.query(`UPDATE sync_jobs SET status = 'suspended' WHERE id = 'j1'`);
      const again = await appliedJob(jobs, 'j1', claim('w2', { deep: { b: 2 } }));
      expect(again!.connector.syncCursor).toEqual({ page: 1, deep: { a: 1, b: 2 } });
      expect((await columns('j1')).connector).toBe(before.connector);
    });

    it('the read-and-apply path writes only the columns of the changed fields and returns the stored row', async () => {
      await jobs.insert(job('j1', 'c1', T0));
      const spy = recording(d.q);
      const updates = () => spy.statements.filter((s) => s.startsWith('UPDATE sync_jobs')).map((s) => s.replace(/ WHERE.*$/s, ''));

      await readAndApply(spy.q, 'j1', checkInSyncJobPlan(at(5)));
      expect(updates()).toEqual(['UPDATE sync_jobs SET last_seen = $2::timestamptz']);
      spy.statements.length = 0;

      await readAndApply(spy.q, 'j1', claim('w1'));
      expect(updates()).toEqual([
        'UPDATE sync_jobs SET last_seen = $2::timestamptz, started_at = $3::timestamptz, status = $4, worker_hostname = $5',
      ]);
      spy.statements.length = 0;

      const stats = await readAndApply(spy.q, 'j1', updateSyncJobStatsPlan({ deletedDocumentCount: 1, indexedDocumentCount: 2, indexedDocumentVolume: 3, metadata: { m: 1 } }, at(7)));
      expect(updates()).toEqual([
        'UPDATE sync_jobs SET deleted_document_count = $2, indexed_document_count = $3, indexed_document_volume = $4, last_seen = $5::timestamptz, metadata = $6::text::json',
      ]);
      expect(stats).toEqual(await jobs.get('j1'));
      spy.statements.length = 0;

      // Nothing changed (a check-in at the stored last_seen): the row is read and nothing is written.
      const same = await readAndApply(spy.q, 'j1', checkInSyncJobPlan(at(7)));
      expect(updates()).toEqual([]);
      expect(same).toEqual(stats);
    });

    it('a refusal propagates and nothing is written; a text PostgreSQL cannot hold is UnstorableValueError; missing is null', async () => {
      await jobs.insert(job('j1', 'c1', T0));
      const stored = await jobs.get('j1');
      await expect(jobs.apply('j1', errorSyncJobPlan({ error: 'boom' }, at(2)))).rejects.toBeInstanceOf(InvalidTransitionError);
      await expect(readAndApply(d.q, 'j1', errorSyncJobPlan({ error: 'boom' }, at(2)))).rejects.toBeInstanceOf(InvalidTransitionError);
      await expect(jobs.apply('j1', claimSyncJobPlan({ workerHostname: 'nul \u0000' }, at(2)))).rejects.toBeInstanceOf(UnstorableValueError);
      await expect(readAndApply(d.q, 'j1', claimSyncJobPlan({ workerHostname: 'nul \u0000' }, at(2)))).rejects.toBeInstanceOf(UnstorableValueError);
      expect(await jobs.get('j1')).toEqual(stored);
      expect(await appliedJob(jobs, 'missing', claim('w'))).toBeNull();
      expect(await appliedJob(jobs, 'bad\u0000id', claim('w'))).toBeNull();
      // The row lock was released: a later update goes through.
      expect((await appliedJob(jobs, 'j1', claim('w')))!.status).toBe('in_progress');
    });

    it('a write between the read and the guarded UPDATE is never overwritten: the plan is applied again under the row lock', async () => {
      await jobs.insert(job('j1', 'c1', T0));
      await jobs.insert(job('j2', 'c1', at(1)));
      // After the store's read of the row, another writer changes it (or deletes it) before the UPDATE.
      const racing = (write: string): { q: Queryable; statements: string[] } => {
        let reads = 0;
        const statements: string[] = [];
        const q: Queryable = {
          ...d.q,
          query: async <R extends Record<string, unknown>>(text: string, params?: readonly unknown[]) => {
            statements.push(text);
            const result = await d.q.query<R>(text, params);
            if (text.startsWith('SELECT xmin') && reads++ === 0) await d.q.query(write, []);
            return result;
          },
          transaction: (fn) =>
            d.q.transaction((tx) => fn({ ...tx, query: (text, params, options) => (statements.push(text), tx.query(text, params, options)) })),
        };
        return { q, statements };
      };
      const claimed = racing("UPDATE sync_jobs SET status = 'in_progress', worker_hostname = 'other' WHERE id = 'j1'");
      // a plan that writes no connector row (its fallback is the read and the guarded write): set the
      // worker of a pending job, refused once it is in_progress
      const nameWorker: SyncJobPlan = { cases: [{ from: ['pending'], set: { workerHostname: 'w1' } }], refuse: 'in_progress', merge: {} };
      await expect(readAndApply(claimed.q, 'j1', nameWorker)).rejects.toBeInstanceOf(InvalidTransitionError);
      // read pending, the guarded write lost, read again under the row lock (in_progress: refused)
      expect(claimed.statements.filter((t) => t.startsWith('SELECT')).map((t) => (t.endsWith('FOR UPDATE') ? 'locked' : 'read'))).toEqual(['read', 'locked']);
      expect((await jobs.get('j1'))!.workerHostname).toBe('other');
      const deleted = racing("DELETE FROM sync_jobs WHERE id = 'j2'");
      expect(await readAndApply(deleted.q, 'j2', checkInSyncJobPlan(at(9)))).toBeNull();
    });

    it("list count is upstream's: exact up to 10,000, then 10,000, with and without filters", async () => {
      await jobs.insert(job('j1', 'c1', T0));
      // 10,000 more rows like j1, written in one statement (the count is what is tested, not the inserts)
      await d.q.query(
        `INSERT INTO sync_jobs (id, connector_id, connector, created_at, job_type, status, trigger_method)
         SELECT 'bulk-' || n, connector_id, connector, created_at + n * interval '1 microsecond', job_type, status, trigger_method
         FROM sync_jobs, generate_series(1, 10000) AS n WHERE id = 'j1'`,
      );
      expect((await jobs.list({ from: 0, size: 1 })).count).toBe(10_000);
      expect((await jobs.list({ from: 0, size: 1, connectorId: 'c1' })).count).toBe(10_000);
      expect((await jobs.list({ from: 0, size: 1, status: 'pending', jobTypes: ['full'] })).count).toBe(10_000);
      expect((await jobs.list({ from: 0, size: 1, status: 'completed' })).count).toBe(0);
      await d.q.query(`DELETE FROM sync_jobs WHERE id IN ('bulk-1', 'bulk-2')`);
      expect((await jobs.list({ from: 0, size: 1 })).count).toBe(9_999);
    });

    it('microseconds round-trip through timestamptz (create, stats last_seen, list)', async () => {
      const created = at(1); // .567150
      await jobs.insert(job('j1', 'c1', created));
      const lastSeen = Instant.parse('2023-12-04T08:45:50.000001Z')!;
      const updated = await appliedJob(jobs, 'j1', updateSyncJobStatsPlan({ deletedDocumentCount: 0, indexedDocumentCount: 0, indexedDocumentVolume: 0, lastSeen }, at(9)));
      expect(updated!.lastSeen!.toString()).toBe('2023-12-04T08:45:50.000001Z');
      const read = await jobs.get('j1');
      expect(read!.createdAt.toString()).toBe('2023-12-04T08:45:50.56715Z');
      expect(read!.createdAt.epochMicros).toBe(created.epochMicros);
      expect(read!.lastSeen!.epochMicros).toBe(lastSeen.epochMicros);
      expect(await columns('j1')).toMatchObject({ created_at: '2023-12-04T08:45:50.567150', last_seen: '2023-12-04T08:45:50.000001' });
      const listed = await jobs.list({ from: 0, size: 10 });
      expect(listed.results[0]!.createdAt.epochMicros).toBe(created.epochMicros);
    });

    it('ten concurrent claims on one pending job: one winner, nine InvalidTransitionError', async () => {
      for (let round = 0; round < 3; round++) {
        const id = `race-${round}`;
        await jobs.insert(job(id, 'c1', at(round)));
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => appliedJob(jobs, id, claim(`worker-${i}`, { [`w${i}`]: i }))),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o) => o.status === 'rejected');
        expect(won).toHaveLength(1);
        for (const o of lost) expect((o as PromiseRejectedResult).reason).toBeInstanceOf(InvalidTransitionError);
        const winner = (won[0] as PromiseFulfilledResult<SyncJob | null>).value!;
        const stored = await jobs.get(id);
        expect(stored).toEqual(winner);
        expect(stored!.status).toBe('in_progress');
        // Only the winner's cursor is stored.
        expect(Object.keys(stored!.connector.syncCursor as object)).toEqual([`w${stored!.workerHostname!.slice(7)}`]);
      }
    });

    it('concurrent check-ins and stats lose nothing; cancel against claim ends in a state the table allows', async () => {
      await jobs.insert(job('busy', 'c1', T0));
      await appliedJob(jobs, 'busy', claim('w'));
      const ops: Promise<SyncJob | null>[] = [];
      for (let i = 0; i < 20; i++) {
        ops.push(appliedJob(jobs, 'busy', checkInSyncJobPlan(at(10 + i))));
        ops.push(
          appliedJob(jobs, 'busy', updateSyncJobStatsPlan({ deletedDocumentCount: i, indexedDocumentCount: i, indexedDocumentVolume: i, metadata: { [`k${i}`]: i, nested: { [`n${i}`]: true } } },
              at(100 + i),)),
        );
      }
      const results = await Promise.all(ops);
      expect(results.every((r) => r !== null)).toBe(true);
      const stored = await jobs.get('busy');
      expect(Object.keys(stored!.metadata).sort()).toEqual([...Array.from({ length: 20 }, (_, i) => `k${i}`), 'nested'].sort());
      expect(Object.keys((stored!.metadata as { nested: object }).nested)).toHaveLength(20);

      for (let round = 0; round < 4; round++) {
        const id = `cc-${round}`;
        await jobs.insert(job(id, 'c1', at(round)));
        const [claimed, canceled] = await Promise.allSettled([appliedJob(jobs, id, claim('w')), appliedJob(jobs, id, cancelSyncJobPlan(at(50)))]);
        const final = (await jobs.get(id))!;
        expect(canceled.status).toBe('fulfilled');
        if (claimed.status === 'fulfilled') expect(final.status).toBe('canceling');
        else {
          expect(claimed.reason).toBeInstanceOf(InvalidTransitionError);
          expect(final.status).toBe('canceled');
        }
      }
    });

    it('delete removes the job and its idempotency keys in one statement; an update racing a delete sees null or wins first', async () => {
      const first = await jobs.insert(job('j1', 'c1', T0), { idempotency: { key: 'k', fingerprint: 'f' } });
      expect(first.created).toBe(true);
      expect(await jobs.findIdempotencyKey('k')).toEqual({ fingerprint: 'f', jobId: 'j1' });
      expect(await jobs.delete('j1')).toBe(true);
      expect(await jobs.findIdempotencyKey('k')).toBeNull();
      expect(await jobs.delete('j1')).toBe(false);
      expect(await jobs.delete('bad\u0000id')).toBe(false);
      const again = await jobs.insert(job('j2', 'c1', T0), { idempotency: { key: 'k', fingerprint: 'f' } });
      expect(again).toMatchObject({ created: true, job: { id: 'j2' } });

      await jobs.insert(job('j3', 'c1', T0));
      const [updated, deleted] = await Promise.all([appliedJob(jobs, 'j3', claim('w')), jobs.delete('j3')]);
      expect(deleted).toBe(true);
      expect(updated === null || updated.status === 'in_progress').toBe(true);
      expect(await jobs.get('j3')).toBeNull();
    });

    it('list: ties in created_at are ordered by id in code-point order, whatever the collation; count survives a page past the end', async () => {
      for (const id of ['b', 'B', 'a', 'A', '_', '-', 'z1']) await jobs.insert(job(id, 'c1', T0));
      const page = await jobs.list({ from: 0, size: 100 });
      expect(page.results.map((j) => j.id)).toEqual(['-', 'A', 'B', '_', 'a', 'b', 'z1']);
      expect(await jobs.list({ from: 50, size: 10 })).toEqual({ count: 7, results: [] });
      expect(await jobs.list({ from: 0, size: 0 })).toEqual({ count: 7, results: [] });
      expect(await jobs.list({ from: 0, size: 1, connectorId: 'nul\u0000' })).toEqual({ count: 0, results: [] });
    });

    it('migration 2 on a version-1 database with rows: they read, claim, list and delete as new ones', async () => {
      const old = await flavour.open({ migrated: false });
      try {
        expect(await migrate(old.q, MIGRATIONS.filter((m) => m.version === 1))).toEqual([1]);
        const snapshot =
          '{"id":"legacy","index_name":"search-legacy","language":"en","service_type":"svc","configuration":{"k":{"value":"\\u0000"}},"sync_cursor":{"page":1,"deep":{"a":1}}}';
        await old.q.exec(`
          INSERT INTO connectors (id, index_name, service_type, language) VALUES ('legacy', 'search-legacy', 'svc', 'en');
          INSERT INTO sync_jobs (id, connector_id, connector, created_at, job_type, last_seen, metadata, status, trigger_method, indexed_document_count)
          VALUES ('old-pending', 'legacy', '${snapshot}', '2023-12-04 08:45:50.567149+00', 'full',
                  '2023-12-04 08:45:50.567149+00', '{"k":"v"}', 'pending', 'on_demand', 5),
                 ('old-running', 'legacy', '{"id":"legacy"}', '2023-12-04 09:00:00.000001+00', 'incremental',
                  NULL, '{}', 'in_progress', 'scheduled', 0);
          INSERT INTO sync_job_idempotency (key, fingerprint, job_id) VALUES ('old-key', 'fp', 'old-pending');
        `);
        expect(await migrate(old.q)).toEqual(MIGRATIONS.filter((m) => m.version > 1).map((m) => m.version));
        const legacy = new PostgresSyncJobStore(old.q);

        const pending = await legacy.get('old-pending');
        expect(pending).toMatchObject({
          status: 'pending',
          indexedDocumentCount: 5,
          metadata: { k: 'v' },
          connector: { id: 'legacy', configuration: { k: { value: '\u0000' } }, syncCursor: { page: 1, deep: { a: 1 } } },
        });
        expect(pending!.createdAt.toString()).toBe('2023-12-04T08:45:50.567149Z');

        const claimed = await appliedJob(legacy, 'old-pending', claim('w', { deep: { b: 2 } }));
        expect(claimed!.connector.syncCursor).toEqual({ page: 1, deep: { a: 1, b: 2 } });
        const stored = (await old.q.query<{ c: string; s: string }>(
          `SELECT connector::text AS c, sync_cursor::text AS s FROM sync_jobs WHERE id = 'old-pending'`,
        )).rows[0]!;
        expect(stored.c).toBe(snapshot);
        expect(JSON.parse(stored.s)).toEqual({ page: 1, deep: { a: 1, b: 2 } });
        expect(await legacy.get('old-pending')).toEqual(claimed);

        await expect(appliedJob(legacy, 'old-running', claim('w'))).rejects.toBeInstanceOf(InvalidTransitionError);
        expect((await legacy.get('old-running'))!.connector).toEqual({ id: 'legacy' });

        const listed = await legacy.list({ from: 0, size: 10, connectorId: 'legacy' });
        expect(listed.count).toBe(2);
        expect(listed.results.map((j) => j.id)).toEqual(['old-running', 'old-pending']);

        expect(await legacy.delete('old-pending')).toBe(true);
        expect(await legacy.findIdempotencyKey('old-key')).toBeNull();
      } finally {
        await old.close();
      }
    });

    it('EXPLAIN: the list filters and order use the list indexes, and the page needs no sort of the table', async () => {
      await d.q.exec(`
        INSERT INTO connectors (id, index_name, service_type) SELECT 'conn-' || i, 'idx', 'svc' FROM generate_series(0, 199) i;
        INSERT INTO sync_jobs (id, connector_id, connector, created_at, job_type, status, trigger_method)
        SELECT 'job-' || i, 'conn-' || (i % 200), json_build_object('id', 'conn-' || (i % 200)),
               timestamptz '2026-01-01' - i * interval '1 second',
               (ARRAY['full', 'incremental', 'access_control'])[1 + i % 3],
               -- as in real use: most jobs completed, a few pending, running or failed
               CASE i % 50 WHEN 0 THEN 'pending' WHEN 1 THEN 'in_progress' WHEN 2 THEN 'error' ELSE 'completed' END,
               'on_demand'
        FROM generate_series(1, 20000) i;
      `);
      await d.q.exec('VACUUM ANALYZE sync_jobs');
      const plan = async (query: Parameters<typeof listStatement>[0]) => {
        const { text, params } = listStatement(query);
        const rows = (await d.q.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, params)).rows;
        const raw = rows[0]!['QUERY PLAN'];
        const tree = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
        const nodes: PlanNode[] = [];
        const walk = (n: PlanNode) => {
          nodes.push(n);
          for (const c of n.Plans ?? []) walk(c);
        };
        walk(tree[0]!.Plan);
        return nodes;
      };
      interface PlanNode {
        'Node Type': string;
        'Index Name'?: string;
        'Relation Name'?: string;
        'Parent Relationship'?: string;
        Plans?: PlanNode[];
      }
      const cases: [Parameters<typeof listStatement>[0], string][] = [
        [{ from: 0, size: 20, connectorId: 'conn-7' }, 'sync_jobs_list_connector_idx'],
        [{ from: 0, size: 20, connectorId: 'conn-7', jobTypes: ['full'] }, 'sync_jobs_list_connector_idx'],
        [{ from: 0, size: 20, status: 'pending' }, 'sync_jobs_list_status_idx'],
        [{ from: 0, size: 20 }, 'sync_jobs_list_idx'],
        [{ from: 0, size: 20, jobTypes: ['incremental', 'access_control'] }, 'sync_jobs_list_idx'],
      ];
      for (const [query, index] of cases) {
        const nodes = await plan(query);
        const seqScans = nodes.filter((n) => n['Node Type'] === 'Seq Scan');
        const indexScans = nodes.filter((n) => n['Index Name'] === index);
        // The page reads the index in order: no Sort below the Limit (the one Sort on top orders <= size joined rows).
        const limit = nodes.find((n) => n['Node Type'] === 'Limit')!;
        const underLimit: PlanNode[] = [];
        const walk = (n: PlanNode) => {
          underLimit.push(n);
          for (const c of n.Plans ?? []) walk(c);
        };
        walk(limit);
        expect({ query, index, sortUnderLimit: underLimit.some((n) => n['Node Type'].includes('Sort')) }).toEqual({ query, index, sortUnderLimit: false });
        expect(underLimit.some((n) => n['Index Name'] === index)).toBe(true);
        expect(indexScans.length).toBeGreaterThan(0);
        if (query.connectorId !== undefined || query.status !== undefined) expect(seqScans).toEqual([]);
      }
      // And the statement answers correctly on that data.
      const byConnector = await jobs.list({ from: 5, size: 3, connectorId: 'conn-7' });
      expect(byConnector.count).toBe(100);
      expect(byConnector.results.map((j) => j.id)).toEqual(['job-1007', 'job-1207', 'job-1407']);
    });
  });
}

describe.skipIf(!serverFlavour.enabled)('timestamps in any session time zone (server)', () => {
  let d: OpenDatabase;
  beforeAll(async () => {
    d = await serverFlavour.open();
  });
  afterAll(async () => {
    await d?.close();
  });

  it('writes and reads back microseconds whatever the session TimeZone (half-hour and 45-minute offsets)', async () => {
    await new PostgresConnectorStore(d.q).upsert(connector('c1'));
    for (const zone of ['UTC', 'America/St_Johns', 'Asia/Kathmandu', 'Pacific/Chatham']) {
      const pool = poolOn(d.url!, 2, { options: `-c TimeZone=${zone}` });
      try {
        const jobs = new PostgresSyncJobStore(queryableFromPool(pool));
        const id = `tz-${zone.replace('/', '-')}`;
        const created = Instant.parse('1999-12-31T23:59:59.999999Z')!;
        await jobs.insert(job(id, 'c1', created));
        const seen = Instant.parse('2024-02-29T12:00:00.000001Z')!;
        const updated = await appliedJob(jobs, id, updateSyncJobStatsPlan({ deletedDocumentCount: 0, indexedDocumentCount: 0, indexedDocumentVolume: 0, lastSeen: seen }, at(0)));
        expect(updated!.lastSeen!.toString()).toBe('2024-02-29T12:00:00.000001Z');
        const read = await jobs.get(id);
        expect(read!.createdAt.toString()).toBe('1999-12-31T23:59:59.999999Z');
        expect(read!.lastSeen!.epochMicros).toBe(seen.epochMicros);
      } finally {
        await pool.end();
      }
    }
  });
});
