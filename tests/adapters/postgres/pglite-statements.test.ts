/**
 * Named (prepared) statements on PGlite (`adapters/postgres/pglite-statements.ts`): a statement
 * given `QueryOptions.prepare` is parsed once per PGlite instance and then only bound and
 * executed, with the rows, errors, transactions and locking of PGlite's own `query()`.
 */
import type { PGlite, PGliteInterface } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreateSyncJob, ElasticsearchIdGenerator, StorageUnavailableError, SyncJobError, SystemClock } from '../../../src/index.js';
import { postgresStores, queryableFromPglite, translateError } from '../../../adapters/postgres/index.js';
import type { Queryable } from '../../../adapters/postgres/index.js';
import { pgliteStatements } from '../../../adapters/postgres/pglite-statements.js';
import { connector } from 'connector-sync-jobs/testing';
import { openPgliteTemplate } from './flavours.js';

const TABLE = `CREATE TABLE t (
  id text PRIMARY KEY,
  n int4,
  big int8,
  flag boolean,
  doc json,
  docb jsonb,
  at timestamptz,
  tags text[],
  note text CONSTRAINT t_note_short CHECK (length(note) < 10)
)`;
const INSERT = 'INSERT INTO t (id, n, big, flag, doc, docb, at, tags, note) VALUES ($1, $2, $3, $4, $5::text::json, $6, $7::timestamptz, $8::text[], $9) RETURNING id';
const SELECT = 'SELECT id, n, big, flag, doc, docb, at, at::text AS at_text, tags, note FROM t WHERE id = ANY($1::text[]) ORDER BY id';

/** The session's prepared statements (PostgreSQL's own view). */
async function sessionStatements(db: PGlite): Promise<string[]> {
  return (await db.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')).rows.map((r) => r.name);
}

const rejection = (p: Promise<unknown>): Promise<unknown> => p.then(
  () => {
    throw new Error('expected a rejection');
  },
  (e: unknown) => e,
);

/** The fields of a PGlite DatabaseError that callers read (errors.ts: code, constraint). */
function errorFields(error: unknown): Record<string, unknown> {
  const e = error as Record<string, unknown>;
  return {
    class: (error as object).constructor.name,
    message: (error as Error).message,
    code: e.code,
    constraint: e.constraint,
    table: e.table,
    schema: e.schema,
    detail: e.detail,
    severity: e.severity,
    query: e.query,
    params: e.params,
  };
}

describe('PGlite named statements', () => {
  let db: PGlite;
  let q: Queryable;
  // a new instance per test: its session starts with no prepared statement
  beforeEach(async () => {
    db = await openPgliteTemplate('unmigrated');
    q = queryableFromPglite(db);
    await q.exec(TABLE);
  });
  afterEach(async () => {
    await db.close();
  });

  const values = (id: string, note: string | null = 'x'): unknown[] => [
    id,
    42,
    2 ** 40,
    true,
    JSON.stringify({ a: [1, 'b', null] }),
    { nested: { ok: true } },
    '2026-11-30T01:02:03.456789Z',
    ['a', 'b,c', 'd"e'],
    note,
  ];

  it('give the same rows as query(), with and without per-query parsers, and are parsed once', async () => {
    expect((await q.query(INSERT, values('n1'), { prepare: 'ins' })).rows).toEqual([{ id: 'n1' }]);
    expect((await q.query(INSERT, [...values('n2').slice(0, 8), null], { prepare: 'ins' })).rows).toEqual([{ id: 'n2' }]);
    await q.query(INSERT, ['n3', null, null, null, null, null, null, null, null], { prepare: 'ins' });
    await q.query(INSERT, values('u1'));
    for (const plainTypes of [true, false]) {
      const ids = [['n1', 'n2', 'n3', 'u1']];
      const named = (await q.query(SELECT, ids, { prepare: `sel${plainTypes}`, plainTypes })).rows;
      const unnamed = (await q.query(SELECT, ids, { plainTypes })).rows;
      expect(named).toEqual(unnamed);
      expect(named.map((r) => Object.keys(r))).toEqual(unnamed.map((r) => Object.keys(r)));
      expect(named).toHaveLength(4);
      // the per-query parsers: int8 as a number, timestamptz as the server's text (else PGlite's own)
      expect(typeof named[0]!.at).toBe(plainTypes ? 'object' : 'string');
      expect(named[0]!.doc).toEqual({ a: [1, 'b', null] });
      expect(named[0]!.tags).toEqual(['a', 'b,c', 'd"e']);
      expect(named[2]).toEqual(Object.fromEntries(Object.keys(named[2]!).map((k) => [k, k === 'id' ? 'n3' : null])));
    }
    // no rows, and a statement that returns none
    expect((await q.query(SELECT, [['none']], { prepare: 'seltrue', plainTypes: true })).rows).toEqual([]);
    expect((await q.query('UPDATE t SET n = $2 WHERE id = $1', ['n1', 7], { prepare: 'upd' })).rows).toEqual([]);
    expect((await q.query('SELECT n FROM t WHERE id = $1', ['n1'], { prepare: 'n' })).rows).toEqual([{ n: 7 }]);
    expect(await sessionStatements(db)).toEqual(['ins', 'n', 'selfalse', 'seltrue', 'upd']);
  });

  it('throw what query() throws: PGlite DatabaseError with code, constraint and the statement', async () => {
    await q.query(INSERT, values('dup'), { prepare: 'ins' });
    const named = await rejection(q.query(INSERT, values('dup'), { prepare: 'ins' }));
    const unnamed = await rejection(q.query(INSERT, values('dup')));
    expect(errorFields(named)).toEqual(errorFields(unnamed));
    expect(errorFields(named)).toMatchObject({ code: '23505', constraint: 't_pkey', table: 't', query: INSERT });
    const check = await rejection(q.query(INSERT, values('long', 'far too long'), { prepare: 'ins' }));
    expect(errorFields(check)).toEqual(errorFields(await rejection(q.query(INSERT, values('long', 'far too long')))));
    expect(errorFields(check)).toMatchObject({ code: '23514', constraint: 't_note_short' });
    // the adapter's translation is the same too
    expect(translateError(named, 'testing').message).toBe(translateError(unnamed, 'testing').message);
    // an error at prepare (the text): the same as query()'s, and nothing stays prepared
    const bad = 'SELEC 1';
    expect(errorFields(await rejection(q.query(bad, [], { prepare: 'bad' })))).toEqual(errorFields(await rejection(q.query(bad, []))));
    expect(await sessionStatements(db)).toEqual(['ins']);
    // a bad parameter (bind): 22P02 as query()
    const badInt = await rejection(q.query('SELECT $1::int4 AS v', ['x'], { prepare: 'int' }));
    expect(errorFields(badInt)).toEqual(errorFields(await rejection(q.query('SELECT $1::int4 AS v', ['x']))));
    expect((await q.query('SELECT $1::int4 AS v', [5], { prepare: 'int' })).rows).toEqual([{ v: 5 }]);
  });

  it('work again after an error, outside and inside transactions', async () => {
    await q.query(INSERT, values('a'), { prepare: 'ins' });
    await rejection(q.query(INSERT, values('a'), { prepare: 'ins' }));
    await q.query(INSERT, values('b'), { prepare: 'ins' });
    const failed = await rejection(
      q.transaction(async (tx) => {
        await tx.query(INSERT, values('c'), { prepare: 'ins' });
        await tx.query(INSERT, values('c'), { prepare: 'ins' });
      }),
    );
    expect((failed as { code?: string }).code).toBe('23505');
    await q.query(INSERT, values('d'), { prepare: 'ins' });
    expect((await q.query('SELECT id FROM t ORDER BY id', [])).rows.map((r) => r.id)).toEqual(['a', 'b', 'd']);
    expect(await sessionStatements(db)).toEqual(['ins']);
  });

  it('inside a transaction: run in it (see its writes) and roll back with it', async () => {
    const seen = await rejection(
      q.transaction(async (tx) => {
        await tx.query(INSERT, values('in-tx'), { prepare: 'ins' });
        const rows = (await tx.query(SELECT, [['in-tx']], { prepare: 'sel', plainTypes: true })).rows;
        throw Object.assign(new Error('roll back'), { rows });
      }),
    );
    expect((seen as { rows: unknown[] }).rows).toHaveLength(1);
    expect((await q.query(SELECT, [['in-tx']], { prepare: 'sel', plainTypes: true })).rows).toEqual([]);
    // prepared inside a transaction that rolled back: still prepared (PostgreSQL's are per session)
    expect(await sessionStatements(db)).toEqual(['ins', 'sel']);
    await q.transaction(async (tx) => {
      await tx.query(INSERT, values('committed'), { prepare: 'ins' });
    });
    expect((await q.query(SELECT, [['committed']], { prepare: 'sel', plainTypes: true })).rows).toHaveLength(1);
  });

  it('a used transaction refuses them, as tx.query() does', async () => {
    let kept: Parameters<Parameters<Queryable['transaction']>[0]>[0] | undefined;
    await q.transaction(async (tx) => {
      kept = tx;
    });
    await expect(kept!.query('SELECT 1 AS one', [], { prepare: 'one' })).rejects.toThrow('Transaction is closed');
    await expect(kept!.query('SELECT 1 AS one', [])).rejects.toThrow('Transaction is closed');
  });

  it('outside a transaction: wait for another caller\'s open transaction, never run inside it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const tx = q.transaction(async (t) => {
      await t.query(INSERT, values('in-tx'), { prepare: 'ins' });
      entered();
      await gate;
      throw new Error('roll back');
    });
    await inside;
    let done = false;
    const outside = q.query(INSERT, values('outside'), { prepare: 'ins' }).then((r) => {
      done = true;
      return r;
    });
    const read = q.query(SELECT, [['in-tx']], { prepare: 'sel', plainTypes: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    release();
    await expect(tx).rejects.toThrow('roll back');
    await outside;
    // the read waited too: it never saw the uncommitted row
    expect((await read).rows).toEqual([]);
    expect((await q.query('SELECT id FROM t ORDER BY id', [])).rows.map((r) => r.id)).toEqual(['outside']);
  });

  it('interleave safely with query(), exec() and transactions under concurrency', async () => {
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      work.push(q.query(INSERT, values(`named-${i}`), { prepare: 'ins' }));
      work.push(q.query(INSERT, values(`plain-${i}`)));
      if (i % 4 === 0) {
        work.push(
          q.transaction(async (tx) => {
            await tx.query(INSERT, values(`tx-${i}`), { prepare: 'ins' });
            await tx.query(INSERT, values(`tx-plain-${i}`));
            await tx.query(SELECT, [[`tx-${i}`]], { prepare: 'sel', plainTypes: true });
          }),
        );
      }
      if (i % 10 === 0) work.push(q.exec('SELECT 1'));
    }
    await Promise.all(work);
    expect((await q.query<{ n: number }>('SELECT count(*)::int4 AS n FROM t', [])).rows[0]!.n).toBe(100);
  });

  it('a session that lost them (DEALLOCATE ALL) or a table that changed under them: prepared again', async () => {
    await q.query(INSERT, values('a'), { prepare: 'ins' });
    await db.exec('DEALLOCATE ALL');
    // outside a transaction: prepared again and run (the failed Bind had no effect)
    expect((await q.query(INSERT, values('b'), { prepare: 'ins' })).rows).toEqual([{ id: 'b' }]);
    // inside one, the error aborts it: it fails (26000) and the next call prepares again
    await db.exec('DEALLOCATE ALL');
    const lost = await rejection(q.transaction((tx) => tx.query(INSERT, values('c'), { prepare: 'ins' })));
    expect((lost as { code?: string }).code).toBe('26000');
    expect((await q.query(INSERT, values('c'), { prepare: 'ins' })).rows).toEqual([{ id: 'c' }]);
    // SELECT * planned before a column was added: "cached plan must not change result type" (0A000)
    expect((await q.query('SELECT * FROM t WHERE id = $1', ['a'], { prepare: 'star', plainTypes: true })).rows[0]).not.toHaveProperty('extra');
    await db.exec("ALTER TABLE t ADD COLUMN extra text DEFAULT 'e'");
    try {
      expect((await q.query('SELECT * FROM t WHERE id = $1', ['a'], { prepare: 'star', plainTypes: true })).rows[0]).toHaveProperty('extra', 'e');
    } finally {
      await db.exec('ALTER TABLE t DROP COLUMN extra');
    }
    expect((await q.query('SELECT * FROM t WHERE id = $1', ['a'], { prepare: 'star', plainTypes: true })).rows[0]).not.toHaveProperty('extra');
  });

  it('one session statement per name, whatever the number of calls, shared by every executor on the instance', async () => {
    const other = queryableFromPglite(db);
    for (let i = 0; i < 100; i++) {
      await q.query(INSERT, values(`a${i}`), { prepare: 'ins' });
      await other.query(INSERT, values(`b${i}`), { prepare: 'ins' });
      await other.query('SELECT n FROM t WHERE id = $1', [`a${i}`], { prepare: 'n', plainTypes: true });
    }
    expect(await sessionStatements(db)).toEqual(['ins', 'n']);
    expect(pgliteStatements(db)!.size).toBe(2);
    // a name given another text replaces its statement (Close, then Parse)
    expect((await q.query('SELECT n + 1 AS n FROM t WHERE id = $1', ['a1'], { prepare: 'n', plainTypes: true })).rows).toEqual([{ n: 43 }]);
    expect(await sessionStatements(db)).toEqual(['ins', 'n']);
  });

  it('a PGlite that is not this package\'s class (a wrapper) runs them through query()', async () => {
    const wrapper = {
      query: db.query.bind(db),
      exec: db.exec.bind(db),
      transaction: db.transaction.bind(db),
    } as unknown as PGliteInterface;
    expect(pgliteStatements(wrapper)).toBeUndefined();
    const w = queryableFromPglite(wrapper);
    expect((await w.query(INSERT, values('w'), { prepare: 'ins' })).rows).toEqual([{ id: 'w' }]);
    await w.transaction((tx) => tx.query(INSERT, values('wtx'), { prepare: 'ins' }));
    expect(await sessionStatements(db)).toEqual([]);
  });

  it('the one-statement create of the store runs as a named statement', async () => {
    const migrated = await openPgliteTemplate('migrated');
    try {
      const { connectors, lookup, jobs } = postgresStores(queryableFromPglite(migrated));
      await connectors.upsert(connector('c'));
      const create = new CreateSyncJob(lookup, jobs, new SystemClock(), new ElasticsearchIdGenerator());
      await create.execute({ id: 'c' });
      await create.execute({ id: 'c' });
      expect((await sessionStatements(migrated)).filter((n) => n.startsWith('csj_create_'))).toHaveLength(1);
      expect((await migrated.query<{ n: number }>('SELECT count(*)::int4 AS n FROM sync_jobs')).rows[0]!.n).toBe(2);
    } finally {
      await migrated.close();
    }
  });
});

describe('PGlite named statements and close()', () => {
  it('calls queued behind close() and after it reject (closed: StorageUnavailableError), none reaches the closed module', async () => {
    const db = await openPgliteTemplate('unmigrated');
    const q = queryableFromPglite(db);
    await q.query('SELECT $1::int4 AS v', [1], { prepare: 'v' });
    const before = Array.from({ length: 5 }, (_, i) => q.query('SELECT $1::int4 AS v', [i], { prepare: 'v' }));
    const closing = db.close();
    const queued = Array.from({ length: 5 }, (_, i) => q.query('SELECT $1::int4 AS v', [i], { prepare: 'v' }));
    const settled = await Promise.allSettled([...before, ...queued]);
    await closing;
    for (const s of settled) {
      if (s.status === 'rejected') expect((s.reason as Error).message).toMatch(/PGlite is clos(ed|ing)/);
    }
    expect(settled.slice(0, 5).every((s) => s.status === 'fulfilled')).toBe(true);
    const after = await rejection(q.query('SELECT $1::int4 AS v', [1], { prepare: 'v' }));
    expect((after as Error).message).toBe('PGlite is closed');
    const translated = translateError(after, 'testing');
    expect(translated).toBeInstanceOf(StorageUnavailableError);
    expect(translated).toBeInstanceOf(SyncJobError);
  });
});
