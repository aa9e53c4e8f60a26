import {
  ACTIVE_SYNC_STATUSES,
  ConflictError,
  ConnectorNotFoundError,
  JOB_TYPES,
  UnstorableValueError,
  decodeConnectorDocument,
  decodeSnapshot,
  encodeConnectorDocument,
  encodeSnapshot,
  Instant,
  isJsonObject,
  jobClassOf,
} from '../../src/index.js';
import type {
  ConnectorRecord,
  ConnectorStore,
  DeleteConnectorOptions,
  IdempotencyRecord,
  InsertOptions,
  InsertResult,
  JobType,
  JsonObject,
  JsonValue,
  SyncJob,
  SyncJobDecision,
  SyncJobListQuery,
  SyncJobListResult,
  SyncJobStore,
  SyncStatus,
  TriggerMethod,
  UpsertResult,
} from '../../src/index.js';
import { constraintOf, sqlStateOf, translateError } from './errors.js';
import type { Queryable, Row, SqlExecutor } from './queryable.js';

/**
 * Why a string cannot go into a Postgres `text` column unchanged: a NUL character
 * (Postgres rejects it) or a lone UTF-16 surrogate (UTF-8 cannot encode it; the driver
 * would silently store U+FFFD). Null when the string is storable.
 */
export function unstorableTextReason(s: string): string | null {
  if (s.includes('\u0000')) return 'contains \\u0000 (NUL), which PostgreSQL text cannot hold';
  if (hasLoneSurrogate(s)) return 'contains a lone UTF-16 surrogate, which UTF-8 cannot encode';
  return null;
}

function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

function checkText(value: string | null | undefined, field: string): void {
  if (value === null || value === undefined) return;
  const reason = unstorableTextReason(value);
  if (reason) throw new UnstorableValueError(`[${field}] ${reason}.`, field);
}

/** True when a lookup key could never have been stored (so the answer is "not found"). */
function unstorableKey(s: string): boolean {
  return unstorableTextReason(s) !== null;
}

/** JSON text for a `json` column. JSON.stringify escapes NUL and lone surrogates, which `json` keeps as written. */
function jsonText(value: JsonValue | undefined, field: string): string | null {
  if (value === undefined) return null;
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw translateError(error, `encoding [${field}]`);
  }
}

/** A `json` column as a value: pg and PGlite parse `json` already; a string is parsed here. */
function fromJson(value: unknown): JsonValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return JSON.parse(value) as JsonValue;
  return value as JsonValue;
}

/**
 * A `timestamptz` as the executors give it (the server's text, `2023-12-04 08:45:50.567149+00`
 * in any session time zone) as an Instant, microseconds kept.
 */
export function instantFromPg(value: unknown): Instant | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Instant.fromDate(value);
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(String(value));
  const parsed = m ? Instant.parse(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? '00'}`) : null;
  if (!parsed || (m && m[5] !== undefined && m[5] !== '00')) {
    throw new TypeError(`unexpected timestamptz text from the database: ${String(value)}`);
  }
  return parsed;
}

const iso = (d: Instant | null): string | null => (d === null ? null : d.toString());

const CONNECTOR_COLUMNS =
  'id, index_name, service_type, language, name, is_native, pipeline, configuration, filtering, deleted, description, status';

/** Connectors in the `connectors` table, in Elasticsearch's wire form for the json columns. */
export class PostgresConnectorStore implements ConnectorStore {
  constructor(private readonly db: Queryable) {}

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
    }
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

export const JOB_COLUMNS = `id, connector_id, cancelation_requested_at, canceled_at, completed_at, connector, created_at,
  deleted_document_count, error, indexed_document_count, indexed_document_volume, job_type, last_seen,
  metadata, started_at, status, total_document_count, trigger_method, worker_hostname`;

export function rowToJob(row: Row): SyncJob {
  const connector = fromJson(row.connector);
  const metadata = fromJson(row.metadata);
  return {
    id: String(row.id),
    cancelationRequestedAt: instantFromPg(row.cancelation_requested_at),
    canceledAt: instantFromPg(row.canceled_at),
    completedAt: instantFromPg(row.completed_at),
    connector: decodeSnapshot(isJsonObject(connector ?? null) ? (connector as JsonObject) : { id: String(row.connector_id) }),
    createdAt: instantFromPg(row.created_at) as Instant,
    deletedDocumentCount: Number(row.deleted_document_count),
    error: typeof row.error === 'string' ? row.error : null,
    indexedDocumentCount: Number(row.indexed_document_count),
    indexedDocumentVolume: Number(row.indexed_document_volume),
    jobType: row.job_type as JobType,
    lastSeen: instantFromPg(row.last_seen),
    metadata: isJsonObject(metadata ?? null) ? (metadata as JsonObject) : {},
    startedAt: instantFromPg(row.started_at),
    status: row.status as SyncStatus,
    totalDocumentCount: Number(row.total_document_count),
    triggerMethod: row.trigger_method as TriggerMethod,
    workerHostname: typeof row.worker_hostname === 'string' ? row.worker_hostname : null,
  };
}

/** Advisory lock namespaces (first key of the two-int form). */
const LOCK_IDEMPOTENCY = 0x63736a31;
const LOCK_ACTIVE = 0x63736a32;

/**
 * Sync jobs in `sync_jobs`, idempotency keys in `sync_job_idempotency`. Each insert is one
 * transaction: idempotency key lock and check, connector row lock (FOR SHARE) and liveness
 * check, one-active-job lock and check, then the writes.
 */
export class PostgresSyncJobStore implements SyncJobStore {
  constructor(private readonly db: Queryable) {}

  async insert(job: SyncJob, options: InsertOptions = {}): Promise<InsertResult> {
    checkText(job.id, 'id');
    checkText(job.connector.id, 'connector.id');
    checkText(job.error, 'error');
    checkText(job.workerHostname, 'worker_hostname');
    const claim = options.idempotency;
    if (claim) {
      checkText(claim.key, 'Idempotency-Key');
      checkText(claim.fingerprint, 'fingerprint');
    }
    const connectorId = job.connector.id;
    const params = [
      job.id,
      connectorId,
      iso(job.cancelationRequestedAt),
      iso(job.canceledAt),
      iso(job.completedAt),
      jsonText(encodeSnapshot(job.connector), 'connector'),
      iso(job.createdAt),
      job.deletedDocumentCount,
      job.error,
      job.indexedDocumentCount,
      job.indexedDocumentVolume,
      job.jobType,
      iso(job.lastSeen),
      jsonText(job.metadata, 'metadata'),
      iso(job.startedAt),
      job.status,
      job.totalDocumentCount,
      job.triggerMethod,
      job.workerHostname,
    ];
    if (!claim && !options.oneActivePerClass) return this.insertPlain(job, params);
    try {
      return await this.db.transaction(async (tx) => {
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
        const live = await tx.query<{ deleted: boolean }>('SELECT deleted FROM connectors WHERE id = $1 FOR SHARE', [
          connectorId,
        ]);
        const row = live.rows[0];
        if (!row || row.deleted) throw new ConnectorNotFoundError(connectorId);
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
        try {
          await tx.query(
            `INSERT INTO sync_jobs (${JOB_COLUMNS}) VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5::timestamptz,
               $6::text::json, $7::timestamptz, $8, $9, $10, $11, $12, $13::timestamptz, $14::text::json,
               $15::timestamptz, $16, $17, $18, $19)`,
            params,
          );
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
        const stored = await getJob(tx, job.id);
        return { job: stored ?? job, created: true };
      });
    } catch (error) {
      throw translateError(error, 'inserting a sync job');
    }
  }

  /**
   * The common create (no idempotency key, no policy) in ONE statement, so one round trip: the
   * INSERT ... SELECT reads the connector row FOR SHARE (a concurrent delete waits for the commit)
   * and inserts only when it is live, atomically; no row inserted means the connector is gone.
   */
  private async insertPlain(job: SyncJob, params: unknown[]): Promise<InsertResult> {
    // A new job (the use case's) has its six later-lifecycle fields null: leave them to the
    // column defaults and send 13 parameters instead of 19 (measurably cheaper on PGlite).
    const fresh =
      job.cancelationRequestedAt === null && job.canceledAt === null && job.completedAt === null &&
      job.error === null && job.startedAt === null && job.workerHostname === null;
    let inserted: number;
    try {
      const { rows } = fresh
        ? await this.db.query(
            `INSERT INTO sync_jobs (id, connector_id, connector, created_at, deleted_document_count, indexed_document_count,
               indexed_document_volume, job_type, last_seen, metadata, status, total_document_count, trigger_method)
             SELECT $1, $2, $3::text::json, $4::timestamptz, $5, $6, $7, $8, $9::timestamptz, $10::text::json, $11, $12, $13
             FROM connectors WHERE id = $2 AND NOT deleted FOR SHARE
             RETURNING id`,
            [params[0], params[1], params[5], params[6], params[7], params[9], params[10], params[11], params[12],
              params[13], params[15], params[16], params[17]],
          )
        : await this.db.query(
            `INSERT INTO sync_jobs (${JOB_COLUMNS})
             SELECT $1, $2, $3::timestamptz, $4::timestamptz, $5::timestamptz, $6::text::json, $7::timestamptz, $8, $9,
                    $10, $11, $12, $13::timestamptz, $14::text::json, $15::timestamptz, $16, $17, $18, $19
             FROM connectors WHERE id = $2 AND NOT deleted FOR SHARE
             RETURNING id`,
            params,
          );
      inserted = rows.length;
    } catch (error) {
      throw translateError(duplicateIdOr(error, job.id), 'inserting a sync job');
    }
    if (inserted === 0) throw new ConnectorNotFoundError(job.connector.id);
    return { job, created: true };
  }

  async get(id: string): Promise<SyncJob | null> {
    if (unstorableKey(id)) return null;
    try {
      return await getJob(this.db, id);
    } catch (error) {
      throw translateError(error, 'reading a sync job');
    }
  }

  // FOUNDATION STUBS: replaced by the lifecycle work on this adapter (issue 9).
  async update(_id: string, _decide: SyncJobDecision): Promise<SyncJob | null> {
    throw new Error('not implemented yet: update');
  }

  async list(_query: SyncJobListQuery): Promise<SyncJobListResult> {
    throw new Error('not implemented yet: list');
  }

  async delete(_id: string): Promise<boolean> {
    throw new Error('not implemented yet: delete');
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

/** A primary-key violation on sync_jobs is the core's duplicate-id conflict; anything else as it is. */
function duplicateIdOr(error: unknown, id: string): unknown {
  return sqlStateOf(error) === '23505' && constraintOf(error) === 'sync_jobs_pkey' ? ConflictError.duplicateId(id, error) : error;
}

async function getJob(db: SqlExecutor, id: string): Promise<SyncJob | null> {
  const { rows } = await db.query(`SELECT ${JOB_COLUMNS} FROM sync_jobs WHERE id = $1`, [id]);
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
