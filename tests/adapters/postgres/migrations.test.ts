import { poolOn } from './pg-helpers.js';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, queryableFromPool } from '../../../adapters/postgres/index.js';
import type { Queryable } from '../../../adapters/postgres/index.js';
import { pgliteFlavour, serverFlavour } from './flavours.js';
import type { OpenDatabase } from './flavours.js';

/** The schema as information_schema and schema_migrations describe it. */
async function schemaOf(q: Queryable): Promise<unknown> {
  const columns = await q.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default
     FROM information_schema.columns WHERE table_schema = 'public'
     ORDER BY table_name, ordinal_position`,
  );
  const indexes = await q.query(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`,
  );
  const checks = await q.query(
    `SELECT conrelid::regclass::text AS tbl, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
  );
  const versions = await q.query('SELECT version, name FROM schema_migrations ORDER BY version');
  return { columns: columns.rows, indexes: indexes.rows, checks: checks.rows, versions: versions.rows };
}

describe('migrations', () => {
  const opened: OpenDatabase[] = [];
  const open = async (f: typeof pgliteFlavour) => {
    const d = await f.open({ migrated: false });
    opened.push(d);
    return d;
  };
  afterEach(async () => {
    for (const d of opened.splice(0)) await d.close();
  });

  it('are versioned, ordered and unique', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('PGlite: an up-to-date schema is checked in one transaction; a schema behind by some versions gets exactly those', async () => {
    const d = await open(pgliteFlavour);
    const last = MIGRATIONS[MIGRATIONS.length - 1]!;
    expect(await migrate(d.q, MIGRATIONS.slice(0, -1))).toEqual(MIGRATIONS.slice(0, -1).map((m) => m.version));
    expect(await migrate(d.q)).toEqual([last.version]);
    let transactions = 0;
    const counting = { ...d.q, transaction: ((fn: never, o: never) => (transactions++, d.q.transaction(fn, o))) as typeof d.q.transaction };
    expect(await migrate(counting)).toEqual([]);
    expect(transactions).toBe(1);
  });

  it('PGlite: fresh, re-run, two migrators at once all end at the same schema; a failing migration records nothing', async () => {
    const fresh = await open(pgliteFlavour);
    expect(await migrate(fresh.q)).toEqual(MIGRATIONS.map((m) => m.version));
    const reference = await schemaOf(fresh.q);
    expect(await migrate(fresh.q)).toEqual([]);
    expect(await schemaOf(fresh.q)).toEqual(reference);
    expect((reference as { columns: { table_name: string }[] }).columns.map((c) => c.table_name)).toEqual(
      expect.arrayContaining(['connectors', 'sync_jobs', 'sync_job_idempotency', 'schema_migrations', 'sync_job_waiters']),
    );
    // migration 7: the waiters table is UNLOGGED, and the (same) trigger's function consults it
    const waiters = await fresh.q.query<{ p: string }>(`SELECT relpersistence AS p FROM pg_class WHERE relname = 'sync_job_waiters'`);
    expect(waiters.rows).toEqual([{ p: 'u' }]);
    const fn = await fresh.q.query<{ def: string }>(`SELECT pg_get_functiondef('connector_sync_jobs_notify_claimable'::regproc) AS def`);
    expect(fn.rows[0]!.def).toMatch(/IF EXISTS \(SELECT 1 FROM sync_job_waiters WHERE until > clock_timestamp\(\)\) THEN/);
    const triggers = await fresh.q.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'sync_jobs'::regclass AND NOT tgisinternal ORDER BY tgname`);
    expect(triggers.rows).toEqual([{ tgname: 'sync_jobs_notify_claimable' }]);

    const twice = await open(pgliteFlavour);
    const [a, b] = await Promise.all([migrate(twice.q), migrate(twice.q)]);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await schemaOf(twice.q)).toEqual(reference);

    // a failing migration rolls back and records nothing
    const bad = [...MIGRATIONS, { version: 999, name: 'broken', sql: 'CREATE TABLE half (a int); SELECT * FROM nope;' }];
    // not retryable (42P01); the driver's text stays in `cause`, out of the message
    const failed = await migrate(twice.q, bad).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'storage_failure', retryable: false, message: 'PostgreSQL failed while migrating the schema (42P01)' });
    expect(String((failed as Error).cause)).toMatch(/nope/);
    const versions = await twice.q.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    const half = await twice.q.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half'`);
    expect(half.rows).toHaveLength(0);
    expect(await schemaOf(twice.q)).toEqual(reference);
  }, 180_000); // two PGlite cold starts and every migration several times: ~45 s on a loaded 2-core machine

  it.skipIf(!serverFlavour.enabled)(
    'server: fresh, re-run, and two migrators on two pools at once all end at the same schema',
    async () => {
      const fresh = await open(serverFlavour);
      expect(await migrate(fresh.q)).toEqual(MIGRATIONS.map((m) => m.version));
      const reference = await schemaOf(fresh.q);
      expect(await migrate(fresh.q)).toEqual([]);
      expect(await schemaOf(fresh.q)).toEqual(reference);

      for (let round = 0; round < 3; round++) {
        const target = await open(serverFlavour);
        const pools = [poolOn(target.url!, 5), poolOn(target.url!, 5)];
        try {
          const results = await Promise.all(pools.map((p) => migrate(queryableFromPool(p))));
          expect(results.flat().sort((a, b) => a - b)).toEqual(MIGRATIONS.map((m) => m.version));
        } finally {
          await Promise.all(pools.map((p) => p.end()));
        }
        expect(await schemaOf(target.q)).toEqual(reference);
      }
    },
  );
});
