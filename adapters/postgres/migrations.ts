import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Queryable, SqlExecutor } from './queryable.js';
import { translateError } from './errors.js';

/** One schema step. Versions are applied once each, in ascending order. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** A migration file's name: its version in four digits, then a kebab-case name (`0001-connectors-sync-jobs-idempotency.sql`). */
const MIGRATION_FILE = /^(\d{4})-([a-z0-9-]+)\.sql$/;

/**
 * The migration files sit in `./migrations/` next to this module wherever it runs: in the
 * sources; in tsc's output `dist/adapters/postgres/` (tsc copies no .sql:
 * `scripts/copy-migrations.mjs` does); and in the server's bundle, whose chunk holding this
 * module lies under `dist/bin/` (`scripts/bundle-bin.mjs` copies the files next to that chunk,
 * found from esbuild's metafile). The package ships both copies, so one URL relative to this
 * module works from the repository and from a host's installed package alike.
 */
const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/**
 * The migrations of `dir`, in version order: each `NNNN-name.sql` file is version NNNN, its name
 * (recorded in `schema_migrations`; `migrate` compares versions only, so the descriptions that
 * databases migrated by earlier releases recorded stay valid) and its SQL. The versions must run
 * 1, 2, 3... without a gap.
 */
function loadMigrations(dir: URL): Migration[] {
  const where = fileURLToPath(dir);
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
  } catch (error) {
    throw new Error(`connector-sync-jobs: cannot read the migration files in ${where}`, { cause: error });
  }
  const migrations = files.map((file) => {
    const m = MIGRATION_FILE.exec(file);
    if (!m) throw new Error(`connector-sync-jobs: ${where}${file} is not named NNNN-kebab-case-name.sql`);
    return { version: Number(m[1]), name: m[2]!, sql: readFileSync(new URL(file, dir), 'utf8') };
  });
  migrations.sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`connector-sync-jobs: the migration files in ${where} do not number 1 to ${migrations.length} without a gap`);
  });
  if (migrations.length === 0) throw new Error(`connector-sync-jobs: no migration file in ${where}`);
  return migrations;
}

/**
 * Every migration, from the files `adapters/postgres/migrations/NNNN-name.sql` (read when this
 * module loads). A file, once released, is never edited: a schema change is a new file with the
 * next number.
 */
export const MIGRATIONS: readonly Migration[] = loadMigrations(MIGRATIONS_DIR);

/** Longest time, in ms, of one migration's transaction (and of each of its statements). */
export const MIGRATION_TIMEOUT_MS = 120_000;

/** Key of the advisory lock that serialises migrators (any constant; "csj-migrate"). */
export const MIGRATION_LOCK_KEY = 0x63736a6d;

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * `fn` in one transaction that first holds the migration lock (transaction-scoped advisory lock)
 * and has `schema_migrations`. Migrations may wait for another migrator and run DDL: they are
 * not bound by the request time bounds of the pool (statement_timeout, the transaction budget),
 * but by MIGRATION_TIMEOUT_MS.
 */
function underMigrationLock<T>(db: Queryable, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL statement_timeout = ${MIGRATION_TIMEOUT_MS}`);
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(CREATE_MIGRATIONS_TABLE);
    return fn(tx);
  }, { timeoutMs: MIGRATION_TIMEOUT_MS });
}

/**
 * Applies the pending migrations, each once, in version order, each in its own transaction
 * that first takes a transaction-scoped advisory lock: two processes starting together
 * serialise, and the second finds the versions already recorded in `schema_migrations`.
 * Returns the versions this call applied.
 *
 * The common case, a schema already up to date (every restart), is one transaction under the
 * same lock: it reads every recorded version at once and returns `[]` when none is missing, so a
 * restart pays one round of statements, not one per migration (docs/decisions/0008-start-up.md).
 */
export async function migrate(db: Queryable, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  const applied: number[] = [];
  try {
    const upToDate = await underMigrationLock(db, async (tx) => {
      const done = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
      const recorded = new Set(done.rows.map((r) => Number(r.version)));
      return ordered.every((m) => recorded.has(m.version));
    });
    if (upToDate) return applied;
    for (const m of ordered) {
      const ran = await underMigrationLock(db, async (tx) => {
        const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
        if (done.rows.length > 0) return false;
        await tx.exec(m.sql);
        await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        return true;
      });
      if (ran) applied.push(m.version);
    }
  } catch (error) {
    throw translateError(error, 'migrating the schema');
  }
  return applied;
}
