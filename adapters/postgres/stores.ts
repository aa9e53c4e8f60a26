import {
  ACTIVE_SYNC_STATUSES,
  ConflictError,
  ConnectorNotFoundError,
  JOB_TYPES,
  decodeConnectorDocument,
  encodeConnectorDocument,
  Instant,
  jobClassOf,
  SYNC_STATUSES,
  changedSyncJobFields,
} from '../../src/index.js';
import { JSON_MERGE_FUNCTION } from './lifecycle-migration.js';
import type {
  ConnectorLookup,
  ConnectorRecord,
  ConnectorStore,
  DeleteConnectorOptions,
  IdempotencyRecord,
  InsertOptions,
  InsertResult,
  JsonObject,
  SyncJob,
  SyncJobCommand,
  SyncJobCommandPlan,
  SyncJobDecision,
  SyncJobListQuery,
  SyncJobListResult,
  SyncJobStore,
  UpsertResult,
} from '../../src/index.js';
import { constraintOf, sqlStateOf, translateError } from './errors.js';
import type { Queryable, QueryOptions, Row, SqlExecutor } from './queryable.js';
import type { ConnectorCache } from './connector-cache.js';
import { JOB_COLUMNS, JOB_SELECT, PLAIN, checkColumnsText, rowToJob } from './columns/job-columns.js';
import type { JobColumn } from './columns/job-columns.js';
import { placeholder } from './columns/param-cast.js';
import { fromJson, jsonText } from './columns/pg-json.js';
import { checkText, unstorableKey, unstorableTextReason } from './columns/storable-text.js';
import { statementName } from './statement-name.js';

const CONNECTOR_COLUMNS =
  'id, index_name, service_type, language, name, is_native, pipeline, configuration, filtering, deleted, description, status';

/**
 * Connectors in the `connectors` table, in Elasticsearch's wire form for the json columns.
 * `findById` always reads the table; writes make `cache` (the create path's) forget the id.
 */
export class PostgresConnectorStore implements ConnectorStore {
  constructor(
    private readonly db: Queryable,
    private readonly cache?: ConnectorCache,
  ) {}

  async findById(id: string): Promise<ConnectorRecord | null> {
    if (unstorableKey(id)) return null;
    let rows: Row[];
    try {
      rows = (await this.db.query(`SELECT ${CONNECTOR_COLUMNS} FROM connectors WHERE id = $1`, [id])).rows;
    } catch (error) {
      throw translateError(error, 'reading a connector');
    }
    const row = rows[0];
    return row ? rowToConnector(row) : null;
  }

  /**
   * Creates or replaces the connector. A connector whose text fields hold `\u0000` or a lone
   * surrogate is refused with UnstorableValueError (HTTP 400); JSON values hold anything JSON can.
   */
  async upsert(connector: ConnectorRecord): Promise<UpsertResult> {
    checkText(connector.id, 'id');
    checkText(connector.indexName, 'index_name');
    checkText(connector.serviceType, 'service_type');
    checkText(connector.language, 'language');
    checkText(connector.name, 'name');
    checkText(connector.description, 'description');
    checkText(connector.status, 'status');
    let doc: JsonObject;
    try {
      doc = encodeConnectorDocument(connector);
    } catch (error) {
      throw translateError(error, 'encoding a connector');
    }
    const params = [
      connector.id,
      connector.indexName,
      connector.serviceType,
      connector.language,
      connector.name ?? null,
      connector.isNative === true,
      jsonText(doc.pipeline, 'pipeline'),
      jsonText(doc.configuration, 'configuration'),
      jsonText(doc.filtering, 'filtering'),
      connector.deleted === true,
      connector.description ?? null,
      connector.status ?? null,
    ];
    try {
      const { rows } = await this.db.query<{ inserted: boolean }>(
        `INSERT INTO connectors (${CONNECTOR_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7::text::json, $8::text::json, $9::text::json, $10, $11, $12)
         ON CONFLICT (id) DO UPDATE SET
           index_name = EXCLUDED.index_name, service_type = EXCLUDED.service_type,
           language = EXCLUDED.language, name = EXCLUDED.name, is_native = EXCLUDED.is_native,
           pipeline = EXCLUDED.pipeline, configuration = EXCLUDED.configuration,
           filtering = EXCLUDED.filtering, deleted = EXCLUDED.deleted,
           description = EXCLUDED.description, status = EXCLUDED.status
         RETURNING (xmax = 0) AS inserted`,
        params,
      );
      return rows[0]?.inserted ? 'created' : 'updated';
    } catch (error) {
      throw translateError(error, 'writing a connector');
    } finally {
      // after the write: a create that kept the old record meanwhile is forgotten too
      this.cache?.forget(connector.id);
    }
  }

  /**
   * Soft or hard delete; with `deleteSyncJobs` the connector's jobs (and, by the foreign key's
   * cascade, the idempotency keys naming them) are deleted in the same transaction.
   */
  async delete(id: string, options: DeleteConnectorOptions = {}): Promise<void> {
    if (unstorableKey(id)) throw new ConnectorNotFoundError(id);
    const statement =
      options.hard === true
        ? 'DELETE FROM connectors WHERE id = $1 RETURNING id'
        : 'UPDATE connectors SET deleted = true WHERE id = $1 AND NOT deleted RETURNING id';
    const run = async (db: SqlExecutor): Promise<void> => {
      const { rows } = await db.query(statement, [id]);
      if (rows.length === 0) throw new ConnectorNotFoundError(id);
      if (options.deleteSyncJobs === true) await db.query('DELETE FROM sync_jobs WHERE connector_id = $1', [id]);
    };
    try {
      if (options.deleteSyncJobs === true) await this.db.transaction(run);
      else await run(this.db);
    } catch (error) {
      if (error instanceof ConnectorNotFoundError) throw error;
      throw translateError(error, 'deleting a connector');
    } finally {
      this.cache?.forget(id);
    }
  }
}

/** A connector row with its version (migration 5), as text (a bigint keeps all its digits). */
const VERSIONED_CONNECTOR_SELECT = `SELECT ${CONNECTOR_COLUMNS}, version::text AS version FROM connectors WHERE id = $1`;

/**
 * The create path's ConnectorLookup (issue 13): answers from `cache` without a round trip when
 * it keeps the connector, else reads the row and its version. A kept record may be stale (see
 * {@link ConnectorCache}); {@link PostgresSyncJobStore.insert} checks it in the insert itself.
 * Failures to reach the database are StorageUnavailableError.
 */
export class PostgresConnectorLookup implements ConnectorLookup {
  constructor(
    private readonly db: Queryable,
    readonly cache: ConnectorCache,
  ) {}

  async findById(id: string): Promise<ConnectorRecord | null> {
    const kept = this.cache.get(id);
    if (kept !== undefined) return kept;
    if (unstorableKey(id)) return null;
    let row: Row | undefined;
    try {
      // text, boolean and json columns only (`version` as text): no per-query parsers needed
      row = (await this.db.query(VERSIONED_CONNECTOR_SELECT, [id], { plainTypes: true })).rows[0];
    } catch (error) {
      throw translateError(error, 'reading a connector');
    }
    return row ? this.cache.track(rowToConnector(row), row.version) : null;
  }
}

function rowToConnector(row: Row): ConnectorRecord {
  const doc: JsonObject = { is_native: row.is_native === true, deleted: row.deleted === true };
  for (const key of ['index_name', 'service_type', 'language', 'name', 'description', 'status'] as const) {
    const v = row[key];
    if (typeof v === 'string') doc[key] = v;
  }
  for (const key of ['pipeline', 'configuration', 'filtering'] as const) {
    const v = fromJson(row[key]);
    if (v !== undefined) doc[key] = v;
  }
  return decodeConnectorDocument(String(row.id), doc);
}

/**
 * The columns an insert names and their parameters: a null parameter is left out (the column's
 * default is NULL), so a new job, whose later-lifecycle fields are all null, sends 13 parameters
 * instead of 20 (measurably cheaper on PGlite). `id` and `connector_id` are never null.
 */
function insertShape(job: SyncJob): { columns: JobColumn[]; params: unknown[]; key: string } {
  const columns: JobColumn[] = [];
  const params: unknown[] = [];
  let key = '';
  for (const c of JOB_COLUMNS) {
    const value = c.param(job);
    if (value === null || value === undefined) {
      key += '0';
      continue;
    }
    key += '1';
    columns.push(c);
    params.push(value);
  }
  return { columns, params, key };
}

const insertSqlCache = new Map<string, string>();

/**
 * INSERT text for a shape. `plain`: the one-statement create, which inserts only when the
 * connector row (`$2`) is live, reading it FOR SHARE; otherwise a VALUES insert returning the row.
 */
function insertSql(columns: readonly JobColumn[], key: string, plain: boolean, versioned = false, lock = true): string {
  const cacheKey = `${plain ? (versioned ? 'c' : 'p') : 'v'}${lock ? '' : 'u'}${key}`;
  let text = insertSqlCache.get(cacheKey);
  if (text === undefined) {
    const names = columns.map((c) => c.name).join(', ');
    const values = columns.map((c, i) => placeholder(c, i + 1)).join(', ');
    // versioned: the row must still be the version the job was built from (the last parameter)
    const where = versioned ? `version = $${columns.length + 1}` : 'NOT deleted';
    text = plain
      ? `INSERT INTO sync_jobs (${names}) SELECT ${values} FROM connectors WHERE id = $2 AND ${where}${lock ? ' FOR SHARE' : ''} RETURNING id`
      : `INSERT INTO sync_jobs (${names}) VALUES (${values}) RETURNING ${JOB_SELECT}`;
    insertSqlCache.set(cacheKey, text);
  }
  return text;
}

/**
 * The order of a list: newest first, ties by id in code-point order (`COLLATE "C"`, whatever the
 * database's collation). Qualified: a bare `created_at` would name JOB_SELECT's text output column.
 */
const LIST_ORDER = 'sync_jobs.created_at DESC, sync_jobs.id COLLATE "C"';

/**
 * The one statement of {@link PostgresSyncJobStore.list}: the page and the count of every match,
 * in one snapshot. The page uses the list indexes of migration 2 (`sync_jobs_list_*`: the order,
 * by connector, by status) and stops after `from + size` rows; the count is a separate aggregate
 * (index-only where the visibility map allows), joined so that a page past the end still
 * carries it. Exported for the EXPLAIN tests.
 */
export function listStatement(query: SyncJobListQuery): { text: string; params: unknown[]; name: string } {
  const params: unknown[] = [];
  const byConnector = query.connectorId !== undefined;
  const byStatus = query.status !== undefined;
  const byType = query.jobTypes !== undefined && query.jobTypes.length > 0;
  if (byConnector) params.push(query.connectorId);
  if (byStatus) params.push(query.status);
  if (byType) params.push([...query.jobTypes!]);
  params.push(query.size, query.from);
  // eight texts, one per combination of filters: built once, each with its statement name
  const shape = (byConnector ? 1 : 0) | (byStatus ? 2 : 0) | (byType ? 4 : 0);
  let text = LIST_SQL[shape];
  if (text === undefined) {
    const where: string[] = [];
    let n = 0;
    if (byConnector) where.push(`connector_id = $${++n}`);
    if (byStatus) where.push(`status = $${++n}`);
    if (byType) where.push(`job_type = ANY($${++n}::text[])`);
    const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    const limit = n + 1;
    text = `WITH page AS (
  SELECT ${JOB_SELECT}, created_at AS list_at FROM sync_jobs${filter} ORDER BY ${LIST_ORDER} LIMIT $${limit} OFFSET $${limit + 1}
), total AS (
  SELECT count(*)::text AS total_count FROM sync_jobs${filter}
)
SELECT total.total_count, page.* FROM total LEFT JOIN page ON true ORDER BY page.list_at DESC, page.id COLLATE "C"`;
    LIST_SQL[shape] = text;
  }
  return { text, params, name: statementName('list', text) };
}

/** {@link listStatement}'s texts by filter combination (bit 1 connector, 2 status, 4 job types). */
const LIST_SQL: (string | undefined)[] = [];

/** Options of {@link PostgresSyncJobStore}. */
export interface SyncJobStoreOptions {
  /**
   * Default true: the one-statement create, the lifecycle commands' one statement
   * (`applyCommand`), the get by id, the read of `update` and the list are named statements
   * (`csj_*`), which `pg` prepares once per connection and PGlite once per instance (no parse
   * and plan per call; measured 1.1-1.4x creates/s on the server, bench/README.md). Set false
   * behind a pooler that cannot keep prepared statements (PgBouncer before 1.21 in transaction
   * mode): then every statement is unnamed.
   */
  preparedStatements?: boolean;
}

/** Advisory lock namespaces (first key of the two-int form). */
const LOCK_IDEMPOTENCY = 0x63736a31;
const LOCK_ACTIVE = 0x63736a32;

/**
 * Sync jobs in `sync_jobs`, idempotency keys in `sync_job_idempotency`. A create (no idempotency
 * key, no policy) whose connector came from `cache` is ONE statement, conditioned on the row's
 * version; every other insert is one transaction: idempotency key lock and check, connector row
 * lock (FOR SHARE) and check, one-active-job lock and check, then the writes. Each update reads
 * the row and its version, decides, and writes only the changed columns in one UPDATE guarded
 * on that version; a lifecycle command (`applyCommand`) is one guarded UPDATE without the read.
 */
export class PostgresSyncJobStore implements SyncJobStore {
  /** Options of a job read named `name` (a prepared statement unless `preparedStatements` is false). */
  private readonly named: (name: string | undefined) => QueryOptions;

  constructor(
    private readonly db: Queryable,
    private readonly cache?: ConnectorCache,
    private readonly options: SyncJobStoreOptions = {},
  ) {
    this.named = options.preparedStatements === false ? () => PLAIN : (name) => (name === undefined ? PLAIN : { plainTypes: true, prepare: name });
  }

  /**
   * Inserts the job; never overwrites (ConflictError `duplicate_id`), never an orphan: the
   * connector row is read FOR SHARE in the insert's own statement or transaction, so a
   * concurrent delete waits for the commit or wins (ConnectorNotFoundError, upstream's
   * message). With `options.source` from this store's {@link ConnectorCache}, the job is
   * inserted only while the connector row is still the version it was built from; when it is
   * not (another writer, any process), the transaction reads the row as stored and inserts
   * `source.rebuild(row)` instead (the domain's snapshot rule and errors, on the current row).
   */
  async insert(job: SyncJob, options: InsertOptions = {}): Promise<InsertResult> {
    checkColumnsText(job, JOB_COLUMNS);
    const claim = options.idempotency;
    const source = options.source;
    const version = source === undefined ? undefined : this.cache?.versionOf(source.connector);
    if (!claim && !options.oneActivePerClass) {
      const inserted = await this.insertPlain(job, version);
      if (inserted) {
        if (version !== undefined) this.cache!.keep(source!.connector);
        return { job, created: true };
      }
      if (version === undefined) throw new ConnectorNotFoundError(job.connector.id);
      // The cached record is not the stored row any more: forget it, decide on the row as stored.
      this.cache!.forget(job.connector.id);
    }
    if (claim) {
      checkText(claim.key, 'Idempotency-Key');
      checkText(claim.fingerprint, 'fingerprint');
    }
    const connectorId = job.connector.id;
    let current: ConnectorRecord | undefined;
    try {
      const result = await this.db.transaction(async (tx): Promise<InsertResult> => {
        if (claim) {
          await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_IDEMPOTENCY, claim.key]);
          const earlier = await findKey(tx, claim.key);
          if (earlier) {
            if (earlier.fingerprint !== claim.fingerprint) throw ConflictError.idempotencyMismatch(claim.key);
            const stored = await getJob(tx, earlier.jobId);
            if (stored) return { job: stored, created: false };
          }
        }
        // No orphans: the connector row stays locked against updates and deletes until commit.
        const row = (await tx.query(`${VERSIONED_CONNECTOR_SELECT} FOR SHARE`, [connectorId])).rows[0];
        if (version !== undefined && (!row || BigInt(String(row.version)) !== version)) {
          // Built from a record that is not the stored row: the domain decides on the row (it throws 404 / 400).
          current = row ? this.cache!.track(rowToConnector(row), row.version) : undefined;
          job = source!.rebuild(current ?? null);
          checkColumnsText(job, JOB_COLUMNS);
        } else if (!row || row.deleted === true) {
          throw new ConnectorNotFoundError(connectorId);
        } else if (version !== undefined) {
          current = source!.connector;
        }
        if (options.oneActivePerClass) {
          const cls = jobClassOf(job.jobType);
          await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_ACTIVE, `${connectorId}\u0001${cls}`]);
          const types = JOB_TYPES.filter((t) => jobClassOf(t) === cls);
          const active = await tx.query<{ id: string }>(
            `SELECT id FROM sync_jobs
             WHERE connector_id = $1 AND job_type = ANY($2::text[]) AND status = ANY($3::text[])
             ORDER BY created_at DESC, id LIMIT 1`,
            [connectorId, types, [...ACTIVE_SYNC_STATUSES]],
          );
          const blocking = active.rows[0];
          if (blocking) throw ConflictError.activeJobExists(connectorId, cls, blocking.id);
        }
        const shape = insertShape(job);
        let stored: Row | undefined;
        try {
          stored = (await tx.query(insertSql(shape.columns, shape.key, false), shape.params)).rows[0];
        } catch (error) {
          throw duplicateIdOr(error, job.id);
        }
        if (claim) {
          await tx.query('INSERT INTO sync_job_idempotency (key, fingerprint, job_id) VALUES ($1, $2, $3)', [
            claim.key,
            claim.fingerprint,
            job.id,
          ]);
        }
        return { job: stored ? rowToJob(stored) : job, created: true };
      });
      if (result.created && current !== undefined) this.cache!.keep(current);
      return result;
    } catch (error) {
      throw translateError(error, 'inserting a sync job');
    }
  }

  /**
   * The common create (no idempotency key, no policy) in ONE statement, so one round trip: the
   * INSERT ... SELECT reads the connector row FOR SHARE (a concurrent delete waits for the commit;
   * on PGlite, which runs each statement alone, nothing can interleave and no lock is taken)
   * and inserts only when it is live, atomically, or, with `version`, only when it is still that
   * version (the job was built from it). False: no row inserted (gone, deleted or changed).
   */
  private async insertPlain(job: SyncJob, version: bigint | undefined): Promise<boolean> {
    const shape = insertShape(job);
    const versioned = version !== undefined;
    if (versioned) shape.params.push(version.toString());
    try {
      // PGlite runs this statement alone (db.serialized): nothing can write the row before its commit, no lock needed
      const lock = this.db.serialized !== true;
      const text = insertSql(shape.columns, shape.key, true, versioned, lock);
      const { rows } = await this.db.query(text, shape.params, this.named(statementName('create', text)));
      return rows.length > 0;
    } catch (error) {
      throw translateError(duplicateIdOr(error, job.id), 'inserting a sync job');
    }
  }

  async get(id: string): Promise<SyncJob | null> {
    if (unstorableKey(id)) return null;
    try {
      return await getJob(this.db, id, this.named(GET_JOB_NAME));
    } catch (error) {
      throw translateError(error, 'reading a sync job');
    }
  }

  /**
   * Two statements, no explicit transaction (2 round trips instead of BEGIN, SELECT ... FOR
   * UPDATE, UPDATE, COMMIT): a `SELECT` reads the row with its version (`xmin`, the id of the
   * transaction that wrote this row version), `decide` runs on the stored job, and ONE guarded
   * `UPDATE ... WHERE id = $1 AND xmin = <version read>` writes only the columns of the fields it
   * changed (`changedSyncJobFields`; a claim's cursor is the `sync_cursor` column, never the
   * snapshot text), returning the stored row. The write is atomic and applies only to the very
   * row version `decide` saw: a concurrent update or delete in between (the UPDATE waits for it
   * and re-checks the guard) makes it match no row, and the store then decides again on the new
   * row inside one transaction that locks it (`SELECT ... FOR UPDATE`, the contended path: a hot
   * row costs no retry loop), so of concurrent claims exactly one wins, the other's `decide` sees
   * `in_progress` and refuses. Nothing changed: nothing written, the stored job returned.
   * `decide` runs at most twice, the second time on the latest row; what it throws
   * propagates unchanged and nothing is written. A text value PostgreSQL cannot hold is
   * UnstorableValueError. Measured (bench/lifecycle.ts): see bench/README.md.
   */
  async update(id: string, decide: SyncJobDecision): Promise<SyncJob | null> {
    if (unstorableKey(id)) return null;
    {
      let row: Row | undefined;
      try {
        row = (await this.db.query(VERSIONED_JOB_SELECT, [id], this.named(VERSIONED_JOB_NAME))).rows[0];
      } catch (error) {
        throw translateError(error, 'updating a sync job');
      }
      if (!row) return null;
      const current = rowToJob(row);
      // `current` itself: changedSyncJobFields compares JSON parts by identity (untouched parts are kept by reference).
      const next = decide(current);
      const changed = new Set<string>(changedSyncJobFields(current, next));
      const columns = JOB_COLUMNS.filter((c) => c.changes !== null && changed.has(c.changes));
      checkColumnsText(next, columns);
      if (columns.length === 0) return current;
      const params = columns.map((c) => c.param(next));
      const set = columns.map((c, i) => `${c.name} = ${placeholder(c, i + 2)}`).join(', ');
      const guard = `$${columns.length + 2}::text::xid`;
      let updated: Row[];
      try {
        updated = (
          await this.db.query(`UPDATE sync_jobs SET ${set} WHERE id = $1 AND xmin = ${guard} RETURNING ${JOB_SELECT}`, [
            id,
            ...params,
            row.row_version,
          ], PLAIN)
        ).rows;
      } catch (error) {
        throw translateError(error, 'updating a sync job');
      }
      if (updated[0]) return rowToJob(updated[0]);
      // The row changed or went away since the read: decide again under the row lock.
      return this.updateLocked(id, decide);
    }
  }

  /**
   * A lifecycle command in ONE statement (issue 13; the port's optional fast path): the command's
   * plan ({@link commandStatement}) compiled to `UPDATE sync_jobs SET ... WHERE id = $1 AND status
   * IN (<the statuses it accepts>) RETURNING` the row, the JSON merges done by the SQL function of
   * migration 6. Atomic on its own (the row lock of the UPDATE serialises concurrent writers, and
   * the guard is re-checked on the latest row version), so no read and no retry. When it matches
   * no row (no such job, or a status the command refuses) or a merge meets a key `text` cannot
   * hold (class 22), the store runs `update(id, command.decide)`: one read explains it (null, or
   * the decision's own InvalidTransitionError with upstream's message), or, when the job moved to
   * an accepted status in between, writes it. Same result and errors as `update` with the decision.
   */
  async applyCommand(id: string, command: SyncJobCommand): Promise<SyncJob | null> {
    if (unstorableKey(id)) return null;
    const statement = commandStatement(id, command.plan);
    if (statement === null) return this.update(id, command.decide);
    let rows: Row[];
    try {
      rows = (await this.db.query(statement.text, statement.params, this.named(statement.name))).rows;
    } catch (error) {
      if (statement.merges && sqlStateOf(error)?.startsWith('22')) return this.update(id, command.decide);
      throw translateError(error, 'updating a sync job');
    }
    const row = rows[0];
    return row ? rowToJob(row) : this.update(id, command.decide);
  }

  /**
   * The contended path (the guarded UPDATE lost a race): one transaction, `SELECT ... FOR UPDATE`
   * locks the row (a concurrent update, delete or policy check waits for the commit), `decide`
   * runs once on the stored job, and the `UPDATE` writes the changed columns.
   */
  private async updateLocked(id: string, decide: SyncJobDecision): Promise<SyncJob | null> {
    let refused: { error: unknown } | undefined;
    try {
      return await this.db.transaction(async (tx) => {
        const { rows } = await tx.query(`SELECT ${JOB_SELECT} FROM sync_jobs WHERE id = $1 FOR UPDATE`, [id], PLAIN);
        const row = rows[0];
        if (!row) return null;
        const current = rowToJob(row);
        let columns: JobColumn[];
        let params: unknown[];
        try {
          // `current` itself: changedSyncJobFields compares JSON parts by identity (untouched parts are kept by reference).
          const next = decide(current);
          const changed = new Set<string>(changedSyncJobFields(current, next));
          columns = JOB_COLUMNS.filter((c) => c.changes !== null && changed.has(c.changes));
          checkColumnsText(next, columns);
          params = columns.map((c) => c.param(next));
        } catch (error) {
          refused = { error };
          throw error;
        }
        if (columns.length === 0) return current;
        const set = columns.map((c, i) => `${c.name} = ${placeholder(c, i + 2)}`).join(', ');
        const updated = await tx.query(`UPDATE sync_jobs SET ${set} WHERE id = $1 RETURNING ${JOB_SELECT}`, [id, ...params], PLAIN);
        return rowToJob(updated.rows[0]!);
      });
    } catch (error) {
      if (refused) throw refused.error;
      throw translateError(error, 'updating a sync job');
    }
  }

  /** One statement ({@link listStatement}): the page, newest first (ties by id), and the count of all matches. */
  async list(query: SyncJobListQuery): Promise<SyncJobListResult> {
    if (query.connectorId !== undefined && unstorableKey(query.connectorId)) return { count: 0, results: [] };
    const { text, params, name } = listStatement(query);
    let rows: Row[];
    try {
      rows = (await this.db.query(text, params, this.named(name))).rows;
    } catch (error) {
      throw translateError(error, 'listing sync jobs');
    }
    const count = Number(rows[0]?.total_count ?? 0);
    const results = rows.filter((r) => r.id !== null && r.id !== undefined).map(rowToJob);
    return { count, results };
  }

  /**
   * One statement: deletes the row, and `sync_job_idempotency`'s `ON DELETE CASCADE` deletes
   * the keys bound to it in the same statement (so each key gives a new job on its next use).
   * The one-active-job check counts existing rows, so the lock goes with the row.
   */
  async delete(id: string): Promise<boolean> {
    if (unstorableKey(id)) return false;
    try {
      const { rows } = await this.db.query('DELETE FROM sync_jobs WHERE id = $1 RETURNING id', [id]);
      return rows.length > 0;
    } catch (error) {
      throw translateError(error, 'deleting a sync job');
    }
  }

  async findIdempotencyKey(key: string): Promise<IdempotencyRecord | null> {
    if (unstorableKey(key)) return null;
    try {
      return await findKey(this.db, key);
    } catch (error) {
      throw translateError(error, 'reading an idempotency key');
    }
  }
}

/** `IN (...)` of sync statuses, as literals (the domain's enum values, never caller text). */
function statusList(statuses: readonly string[]): string {
  return statuses
    .map((s) => {
      if (!/^[a-z_]+$/.test(s)) throw new TypeError(`not a sync status: ${s}`);
      return `'${s}'`;
    })
    .join(', ');
}

const sameParam = (a: unknown, b: unknown): boolean =>
  a === b || (a instanceof Instant && b instanceof Instant && a.epochMicros === b.epochMicros);

/** Deepest object nesting of a merge the one statement does in SQL (deeper: the JavaScript fallback). */
export const MAX_SQL_MERGE_DEPTH = 32;

/** Whether `value` nests objects or arrays more than `max` levels deep (iterative: no recursion). */
function jsonDepthOver(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * A command's plan as one statement: `UPDATE sync_jobs SET <each field a case sets: $n, or a
 * CASE on the stored status when the cases differ>, status = <its target>, metadata =
 * <merge(stored object or {}, $n)>, sync_cursor = <merge(stored cursor, $n) when it is an
 * object, else $n> WHERE id = $1 AND status IN (<accepted>) RETURNING <every column>` (no status
 * guard when the command accepts every status: the column's CHECK allows only those). The
 * stored cursor is the column when set, else the snapshot's (rows written before migration 3),
 * as the read does. Null when the plan accepts no status, sets a text PostgreSQL cannot hold, or
 * merges a change nested deeper than {@link MAX_SQL_MERGE_DEPTH}:
 * the caller then takes `update`'s path, which reports the decision's error or the
 * UnstorableValueError in the same order as for any other store.
 */
export function commandStatement(
  id: string,
  plan: SyncJobCommandPlan,
): { text: string; params: unknown[]; merges: boolean; name: string | undefined } | null {
  const cases = plan.cases.filter((c) => c.from.length > 0);
  if (cases.length === 0) return null;
  const params: unknown[] = [id];
  // What the text depends on: per case its statuses and target, per column the parameter
  // number each case gives it (none: left as stored), the merges. Same shape, same text (cached);
  // the placeholders themselves are written only when a shape's text is built.
  const assigned: [name: string, column: JobColumn | null, values: (string | number | undefined)[]][] = [];
  let anyStatus = false;
  for (const c of cases) if (c.status !== undefined) anyStatus = true;
  if (anyStatus) assigned.push(['status', null, cases.map((c) => (c.status === undefined ? undefined : `'${c.status}'`))]);
  let unstorable = false;
  const fields: (keyof SyncJob)[] = [];
  for (const c of cases) for (const f of Object.keys(c.set) as (keyof SyncJob)[]) if (!fields.includes(f)) fields.push(f);
  for (const field of fields) {
    const column = COLUMN_OF_FIELD.get(field)!;
    const given = cases.map((c) => (Object.prototype.hasOwnProperty.call(c.set, field) ? (c.set as Record<string, unknown>)[field] : undefined));
    const values: (number | undefined)[] = new Array<number | undefined>(cases.length);
    for (let i = 0; i < given.length; i++) {
      const value = given[i];
      if (value === undefined) continue;
      let earlier = 0;
      // bounded by i: a value not equal to itself (NaN) is its own first occurrence
      while (earlier < i && !(given[earlier] !== undefined && sameParam(given[earlier], value))) earlier++;
      if (earlier < i) {
        values[i] = values[earlier];
        continue;
      }
      const param = column.param(cases[i]!.set as unknown as SyncJob);
      if (column.text !== undefined && typeof param === 'string' && unstorableTextReason(param) !== null) unstorable = true;
      params.push(param);
      values[i] = params.length;
    }
    assigned.push([column.name, column, values]);
  }
  if (unstorable) return null;
  const { metadata, syncCursor } = plan.merge;
  // The SQL merge recurses once per level the stored value and the change share: a deep change
  // would exhaust PostgreSQL's stack (PGlite's session even PANICs), so it goes to the fallback,
  // which merges in JavaScript. The change's own depth bounds the recursion.
  if ((metadata !== undefined && jsonDepthOver(metadata, MAX_SQL_MERGE_DEPTH)) || (syncCursor !== undefined && jsonDepthOver(syncCursor, MAX_SQL_MERGE_DEPTH))) {
    return null;
  }
  if (metadata !== undefined) params.push(jsonText(metadata, 'metadata'));
  if (syncCursor !== undefined) params.push(jsonText(syncCursor, 'connector.sync_cursor'));
  const merges = metadata !== undefined || syncCursor !== undefined;
  let key = `${metadata !== undefined}${syncCursor !== undefined}`;
  for (const c of cases) key += `|${c.from.join(',')}>${c.status ?? ''}`;
  for (const [name, , values] of assigned) key += `|${name}=${values.join('/')}`;
  let cached = commandSqlCache.get(key);
  if (cached === undefined) {
    const when = (c: (typeof cases)[number]): string => `status IN (${statusList(c.from)})`;
    const sets = assigned.map(([name, column, numbers]) => {
      const values = numbers.map((v) => (v === undefined || column === null ? v : placeholder(column, v as number)));
      const first = values[0];
      if (first !== undefined && cases.every((_, i) => values[i] === first)) return `${name} = ${first}`;
      const arms = cases.map((c, i) => (values[i] === undefined ? '' : ` WHEN ${when(c)} THEN ${values[i]}`)).join('');
      return `${name} = CASE${arms} ELSE ${name} END`;
    });
    let n = params.length - (syncCursor !== undefined ? 1 : 0) - (metadata !== undefined ? 1 : 0);
    if (metadata !== undefined) {
      sets.push(`metadata = ${JSON_MERGE_FUNCTION}(CASE WHEN json_typeof(metadata) = 'object' THEN metadata ELSE '{}'::json END, $${++n}::text::json)`);
    }
    if (syncCursor !== undefined) {
      const changes = `$${++n}::text::json`;
      const stored = `coalesce(CASE WHEN json_typeof(sync_cursor) <> 'null' THEN sync_cursor END, connector -> 'sync_cursor')`;
      sets.push(`sync_cursor = CASE WHEN json_typeof(${stored}) = 'object' THEN ${JSON_MERGE_FUNCTION}(${stored}, ${changes}) ELSE ${changes} END`);
    }
    const from = cases.flatMap((c) => c.from);
    // A command that accepts every status needs no guard: the column's CHECK (migration 1) allows
    // only the seven (and PGlite parses the statement on every call: the list cost ~10% of a check-in's CPU).
    const guard = SYNC_STATUSES.every((st) => from.includes(st)) ? '' : ` AND status IN (${statusList(from)})`;
    const text = `UPDATE sync_jobs SET ${sets.join(', ')} WHERE id = $1${guard} RETURNING ${JOB_SELECT}`;
    // named by its text (`pg` refuses one name for two texts on a connection)
    cached = { text, name: commandSqlCache.size < 1000 ? statementName('cmd', text) : undefined };
    if (cached.name !== undefined) commandSqlCache.set(key, cached);
  }
  return { text: cached.text, params, merges, name: cached.name };
}

/**
 * Statement texts of {@link commandStatement} by shape (a handful: one or two per command), each
 * with its statement name; past 1000 shapes a text is neither kept nor named.
 */
const commandSqlCache = new Map<string, { text: string; name: string | undefined }>();

/** The column of each entity field. */
const COLUMN_OF_FIELD = new Map(JOB_COLUMNS.filter((c) => c.field !== null).map((c) => [c.field!, c]));

/** A primary-key violation on sync_jobs is the core's duplicate-id conflict; anything else as it is. */
function duplicateIdOr(error: unknown, id: string): unknown {
  return sqlStateOf(error) === '23505' && constraintOf(error) === 'sync_jobs_pkey' ? ConflictError.duplicateId(id, error) : error;
}

/** The statement of a get by id, and its name (prepared once per connection unless named statements are off). */
const GET_JOB_SQL = `SELECT ${JOB_SELECT} FROM sync_jobs WHERE id = $1`;
const GET_JOB_NAME = statementName('get', GET_JOB_SQL);
/** `update`'s read: the job and its row version. */
const VERSIONED_JOB_SELECT = `SELECT xmin::text AS row_version, ${JOB_SELECT} FROM sync_jobs WHERE id = $1`;
const VERSIONED_JOB_NAME = statementName('get_v', VERSIONED_JOB_SELECT);

/** The job `id` (`options`: a name to prepare it under, in a pool; a transaction's executor ignores it). */
async function getJob(db: SqlExecutor, id: string, options: QueryOptions = PLAIN): Promise<SyncJob | null> {
  const { rows } = await db.query(GET_JOB_SQL, [id], options);
  const row = rows[0];
  return row ? rowToJob(row) : null;
}

async function findKey(db: SqlExecutor, key: string): Promise<IdempotencyRecord | null> {
  const { rows } = await db.query<{ fingerprint: string; job_id: string }>(
    'SELECT fingerprint, job_id FROM sync_job_idempotency WHERE key = $1',
    [key],
  );
  const row = rows[0];
  return row ? { fingerprint: row.fingerprint, jobId: row.job_id } : null;
}
