import type { Queryable, SqlExecutor } from './queryable.js';
import { translateError } from './errors.js';
import { LIFECYCLE_MIGRATION } from './lifecycle-migration.js';
import { QUEUE_MIGRATION } from './queue-migration.js';
import { WAITERS_MIGRATION } from './waiters-migration.js';

/** One schema step. Versions are applied once each, in ascending order. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * JSON values are stored as `json`, not `jsonb`: `json` keeps the exact text that was written
 * (key order, number spelling, `\u0000` and lone-surrogate escapes), so a connector's
 * configuration and a job's snapshot read back byte for byte in Elasticsearch's wire form.
 * `jsonb` would reorder keys and reject `\u0000`. Nothing queries inside these values; the
 * fields the queries need (`connector_id`, `status`, `job_type`, `created_at`) are columns.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'connectors, sync_jobs, sync_job_idempotency',
    sql: `
CREATE TABLE connectors (
  id            text PRIMARY KEY,
  index_name    text,
  service_type  text,
  language      text,
  name          text,
  is_native     boolean NOT NULL DEFAULT false,
  pipeline      json,
  configuration json,
  filtering     json,
  deleted       boolean NOT NULL DEFAULT false
);

CREATE TABLE sync_jobs (
  id                       text PRIMARY KEY,
  connector_id             text NOT NULL,
  cancelation_requested_at timestamptz,
  canceled_at              timestamptz,
  completed_at             timestamptz,
  connector                json NOT NULL,
  created_at               timestamptz NOT NULL,
  deleted_document_count   bigint NOT NULL DEFAULT 0 CHECK (deleted_document_count >= 0),
  error                    text,
  indexed_document_count   bigint NOT NULL DEFAULT 0 CHECK (indexed_document_count >= 0),
  indexed_document_volume  bigint NOT NULL DEFAULT 0 CHECK (indexed_document_volume >= 0),
  job_type                 text NOT NULL CHECK (job_type IN ('full', 'incremental', 'access_control')),
  last_seen                timestamptz,
  metadata                 json NOT NULL DEFAULT '{}',
  started_at               timestamptz,
  status                   text NOT NULL CHECK (status IN ('canceling', 'canceled', 'completed', 'error', 'in_progress', 'pending', 'suspended')),
  total_document_count     bigint NOT NULL DEFAULT 0 CHECK (total_document_count >= 0),
  trigger_method           text NOT NULL CHECK (trigger_method IN ('on_demand', 'scheduled')),
  worker_hostname          text
);

CREATE INDEX sync_jobs_created_at_idx ON sync_jobs (created_at DESC, id);
CREATE INDEX sync_jobs_connector_created_at_idx ON sync_jobs (connector_id, created_at DESC);
CREATE INDEX sync_jobs_status_created_at_idx ON sync_jobs (status, created_at DESC);
CREATE INDEX sync_jobs_active_idx ON sync_jobs (connector_id, job_type)
  WHERE status IN ('pending', 'in_progress', 'canceling', 'suspended');

CREATE TABLE sync_job_idempotency (
  key         text PRIMARY KEY,
  fingerprint text NOT NULL,
  job_id      text NOT NULL REFERENCES sync_jobs (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 2,
    name: 'connectors: description, status (upstream connector setup fields)',
    sql: `
ALTER TABLE connectors ADD COLUMN description text;
ALTER TABLE connectors ADD COLUMN status text;
`,
  },
  {
    version: 3,
    name: 'sync_jobs.sync_cursor, list indexes, idempotency job_id index',
    // - sync_cursor: the snapshot's cursor in its own column, so a claim writes the cursor and
    //   not the whole snapshot text. Rows written before keep their cursor inside `connector`
    //   (the read takes the column when it is set, the snapshot's otherwise): no rewrite here.
    //   A nullable column without default is a catalog-only change, even on a large table.
    // - list (`ORDER BY created_at DESC, id COLLATE "C"`, optionally one connector or one
    //   status): each index gives the page in order, so a page stops after from + size rows.
    //   They replace version 1's order indexes, whose `id` had the database's collation and
    //   no tie-breaker for the filtered ones. A job_type filter alone is 1 of 3 values: it is
    //   read along the order index.
    // - sync_job_idempotency.job_id: delete's ON DELETE CASCADE looks the keys up by it.
    sql: `
ALTER TABLE sync_jobs ADD COLUMN sync_cursor json;

DROP INDEX sync_jobs_created_at_idx;
DROP INDEX sync_jobs_connector_created_at_idx;
DROP INDEX sync_jobs_status_created_at_idx;
CREATE INDEX sync_jobs_list_idx ON sync_jobs (created_at DESC, id COLLATE "C");
CREATE INDEX sync_jobs_list_connector_idx ON sync_jobs (connector_id, created_at DESC, id COLLATE "C");
CREATE INDEX sync_jobs_list_status_idx ON sync_jobs (status, created_at DESC, id COLLATE "C");

CREATE INDEX sync_job_idempotency_job_id_idx ON sync_job_idempotency (job_id);
`,
  },
  QUEUE_MIGRATION,
  {
    version: 5,
    name: 'connectors.version: bumped by every write of the row (the create path caches connectors)',
    // A create builds its job from a connector this process may have cached, and inserts only
    // while the row's `version` is still the one it read (adapters/postgres/connector-cache.ts).
    // The trigger gives every INSERT and UPDATE of a row, by any writer (another process, psql),
    // a new value of one sequence: never reused, even after a hard delete and a new PUT. The
    // ALTER gives the existing rows distinct values (a rewrite of the small connectors table).
    sql: `
CREATE SEQUENCE connectors_version_seq;
ALTER TABLE connectors ADD COLUMN version bigint NOT NULL DEFAULT nextval('connectors_version_seq');
CREATE FUNCTION connector_sync_jobs_connector_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := nextval('connectors_version_seq');
  RETURN NEW;
END
$$;
CREATE TRIGGER connectors_version BEFORE INSERT OR UPDATE ON connectors
  FOR EACH ROW EXECUTE FUNCTION connector_sync_jobs_connector_version();
`,
  },
  LIFECYCLE_MIGRATION,
  WAITERS_MIGRATION,
];

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
 * same lock: it reads every recorded version at once and returns `[]` when none is missing
 * (instead of one transaction per migration; a restart on PGlite saved about 0.1 s).
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
