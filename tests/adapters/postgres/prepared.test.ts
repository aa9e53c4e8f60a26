/**
 * On the server the store sends its frequent statements as named (prepared) statements
 * (`csj_*`): the create, the lifecycle commands' one statement (claim, check-in, stats, cancel,
 * error), the get by id, the read of `update` and the list. Checked here from the calls the store
 * makes: each of those names one text only (`pg` refuses one name for two texts on a
 * connection), `preparedStatements: false` sends no name at all, and the named statements still
 * answer after the server dropped every connection (a restart without migration: new
 * connections, nothing prepared on them yet).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelSyncJob,
  CheckInSyncJob,
  ClaimSyncJob,
  CreateSyncJob,
  ErrorSyncJob,
  GetSyncJob,
  ListSyncJobs,
  SystemClock,
  UpdateSyncJobStats,
} from '../../../src/index.js';
import { postgresStores } from '../../../adapters/postgres/index.js';
import { planStatement } from '../../../adapters/postgres/sql/plan-statement.js';
import { statementName } from '../../../adapters/postgres/statement-name.js';
import { PgliteStatements } from '../../../adapters/postgres/pglite-statements.js';
import type { Queryable, QueryOptions, SqlExecutor } from '../../../adapters/postgres/index.js';
import { connector, testIds } from 'connector-sync-jobs/testing';
import { openPgliteTemplate, serverFlavour } from './flavours.js';
import type { OpenDatabase } from './flavours.js';

interface Sent {
  text: string;
  name: string | undefined;
}

/** A Queryable that records each statement's text and the name it was sent under. */
function recording(q: Queryable): { q: Queryable; sent: Sent[] } {
  const sent: Sent[] = [];
  const wrap = (x: SqlExecutor): SqlExecutor => ({
    query: (text, params, options?: QueryOptions) => {
      sent.push({ text, name: options?.prepare });
      return x.query(text, params, options);
    },
    exec: (sql) => x.exec(sql),
  });
  return { q: { ...wrap(q), transaction: (fn, options) => q.transaction((tx) => fn(wrap(tx)), options) }, sent };
}

/** Every lifecycle operation once, through the use cases (each on a job it can apply to). */
async function everyOperation(q: Queryable, preparedStatements?: boolean): Promise<void> {
  const { lookup, jobs, connectors } = postgresStores(q, { preparedStatements });
  const clock = new SystemClock();
  await connectors.upsert(connector('c1'));
  const create = new CreateSyncJob(lookup, jobs, clock, testIds(`p${String(preparedStatements)}-${Math.random().toString(36).slice(2, 8)}`));
  const a = await create.execute({ id: 'c1' });
  const b = await create.execute({ id: 'c1' });
  await new ClaimSyncJob(jobs, clock).execute(a.id, { worker_hostname: 'h', sync_cursor: { page: 1 } });
  await new CheckInSyncJob(jobs, clock).execute(a.id);
  await new UpdateSyncJobStats(jobs, clock).execute(a.id, { deleted_document_count: 1, indexed_document_count: 2, indexed_document_volume: 3 });
  await new ErrorSyncJob(jobs, clock).execute(a.id, { error: 'boom' });
  await new CancelSyncJob(jobs, clock).execute(b.id);
  // refused (already canceled): the locked read explains it
  await expect(new ClaimSyncJob(jobs, clock).execute(b.id, { worker_hostname: 'h' })).rejects.toMatchObject({ code: 'invalid_transition' });
  expect((await new GetSyncJob(jobs).execute(a.id)).status).toBe('error');
  await new ListSyncJobs(jobs).execute({ connector_id: 'c1', size: '5' });
  await new ListSyncJobs(jobs).execute({ status: 'canceled' });
  await new ListSyncJobs(jobs).execute({ job_type: 'full,incremental' });
  await new ListSyncJobs(jobs).execute({});
}

describe.skipIf(!serverFlavour.enabled)('named (prepared) statements on the server', () => {
  let d: OpenDatabase;

  beforeAll(async () => {
    d = await serverFlavour.open({ poolSize: 4 });
  });
  afterAll(async () => {
    await d?.close();
  });

  it('names the create, every lifecycle command, the get, the read of update and every list shape, one text per name', async () => {
    await d.reset();
    const rec = recording(d.q);
    await everyOperation(rec.q);
    const named = rec.sent.filter((s) => s.name !== undefined);
    const texts = new Map<string, Set<string>>();
    for (const s of named) texts.set(s.name!, (texts.get(s.name!) ?? new Set()).add(s.text));
    for (const [name, set] of texts) expect(set.size, name).toBe(1);
    const names = [...texts.keys()];
    expect(names.every((n) => n.startsWith('csj_'))).toBe(true);
    const sent = (pattern: RegExp) => named.filter((s) => pattern.test(s.text));
    expect(sent(/^INSERT INTO sync_jobs/).length).toBeGreaterThanOrEqual(2);
    // check-in and stats compiled to one statement each; claim, error and cancel (they write the
    // connector's sync info too) in a transaction: the locked read, each job write's shape, the
    // connector's writes (a start, an end): one name each
    expect(new Set(sent(/^UPDATE sync_jobs SET .* WHERE id = \$1 RETURNING/s).map((s) => s.name)).size).toBe(5);
    expect(sent(/^SELECT .* FROM sync_jobs WHERE id = \$1 FOR UPDATE$/s).length).toBe(4);
    expect(new Set(sent(/^UPDATE connectors SET/).map((s) => s.name)).size).toBe(2);
    expect(sent(/^SELECT id, connector_id, .* FROM sync_jobs WHERE id = \$1$/s).length).toBe(1);
    expect(new Set(sent(/^WITH page AS/).map((s) => s.name)).size).toBe(4);
    // nothing else went unnamed on the pool but the connector reads and writes (not per job)
    const unnamed = rec.sent.filter((s) => s.name === undefined).map((s) => s.text.slice(0, 30));
    expect(unnamed.every((t) => /connectors/.test(t) || t.startsWith('SELECT id, index_name'))).toBe(true);
  });

  it('sends no named statement with preparedStatements: false', async () => {
    await d.reset();
    const rec = recording(d.q);
    await everyOperation(rec.q, false);
    expect(rec.sent.length).toBeGreaterThan(10);
    expect(rec.sent.filter((s) => s.name !== undefined)).toEqual([]);
  });

  it('still answers after the server dropped every connection (nothing prepared on the new ones)', async () => {
    await d.reset();
    await everyOperation(d.q);
    // every connection of the pool is prepared now; the server ends them all (as a restart does)
    const { rows } = await d.pool!.query<{ n: number }>(
      'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    expect(rows[0]!.n).toBeGreaterThanOrEqual(0);
    await d.pool!.query('SELECT pg_terminate_backend(pg_backend_pid())').catch(() => undefined);
    // idle clients notice the end and leave the pool; the next calls connect again and prepare again
    await new Promise((resolve) => setTimeout(resolve, 100));
    await everyOperation(d.q);
    await everyOperation(d.q);
  });
});

describe('statement names', () => {
  it('derive from the text: one name per text, another text another name, the same in any copy of the library', () => {
    const a = 'SELECT id FROM sync_jobs WHERE id = $1';
    const b = 'SELECT status FROM sync_jobs WHERE id = $1';
    expect(statementName('get', a)).toBe(statementName('get', a));
    expect(statementName('get', a)).not.toBe(statementName('get', b));
    expect(statementName('get', a)).toMatch(/^csj_get_[0-9a-f]{16}$/);
  });

  it('two copies of the library on one PGlite instance (two statement registries) each get their own rows', async () => {
    const db = await openPgliteTemplate('unmigrated');
    try {
      await db.exec("CREATE TABLE t (id text PRIMARY KEY, a text, b text); INSERT INTO t VALUES ('1', 'A-value', 'B-value')");
      const copyA = new PgliteStatements(db);
      const copyB = new PgliteStatements(db);
      const textA = 'SELECT id, a FROM t WHERE id = $1';
      const textB = 'SELECT id, b AS a, a AS b FROM t WHERE id = $1';
      expect(await copyA.query(statementName('get', textA), textA, ['1'], false)).toEqual([{ id: '1', a: 'A-value' }]);
      expect(await copyB.query(statementName('get', textB), textB, ['1'], false)).toEqual([{ id: '1', a: 'B-value', b: 'A-value' }]);
      expect(await copyA.query(statementName('get', textA), textA, ['1'], false)).toEqual([{ id: '1', a: 'A-value' }]);
    } finally {
      await db.close();
    }
  });

  it('a command plan setting NaN still gives a statement (the search for an equal earlier value is bounded)', () => {
    const statement = planStatement({ cases: [{ from: ['in_progress'], set: { indexedDocumentCount: Number.NaN } }], merge: {} } as never, { id: 'job-1' });
    expect(statement?.params).toEqual(['job-1', Number.NaN]);
  });
});
