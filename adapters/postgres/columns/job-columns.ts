import {
  CorruptSyncJobError,
  decodeCounter,
  decodeJobType,
  decodeSnapshot,
  decodeSyncStatus,
  decodeTriggerMethod,
  isJsonObject,
  MUTABLE_SYNC_JOB_FIELDS,
} from '../../../src/internal.js';
import type { JsonObject, MutableSyncJobField, SyncJob } from '../../../src/internal.js';
import type { QueryOptions, Row } from '../queryable.js';
import type { ParamCast } from './param-cast.js';
import { fromJson, jsonText } from './pg-json.js';
import { instantFromPg, instantToPg } from './pg-instant.js';
import { snapshotText } from './snapshot-text.js';
import { checkText } from './storable-text.js';

/** What every `sync_jobs` column declares: its name, its parameter's cast and how a job gives the parameter. */
interface JobColumnSpec {
  /** The column name in `sync_jobs`. */
  readonly name: string;
  readonly cast: ParamCast;
  /** Entity -> parameter (null is SQL NULL, which is also the default of every nullable column). */
  readonly param: (job: SyncJob) => unknown;
  /** For text columns: the wire name that {@link checkText} reports for a value text cannot hold. */
  readonly text?: string;
  /** The select-list entry when it is not the bare name: timestamptz and bigint read as text (see {@link JOB_SELECT}). */
  readonly select?: string;
}

/** A column that holds one entity field: it also reads the field back from a row. */
interface EntityColumn<F extends keyof SyncJob> extends JobColumnSpec {
  /** Row -> entity: the field's value from the column's value (and, for the snapshot, the row). */
  readonly read: (value: unknown, row: Row) => SyncJob[F];
}

/** One column of `sync_jobs` as the store uses it. */
export interface JobColumn extends JobColumnSpec {
  /** The entity field it reads into; null for a column another column's reader consumes. */
  readonly field: keyof SyncJob | null;
  /** The field `changedSyncJobFields` names when a decision changes this column; null: fixed at creation. */
  readonly changes: MutableSyncJobField | null;
  readonly read: ((value: unknown, row: Row) => unknown) | null;
}

type InstantField = 'cancelationRequestedAt' | 'canceledAt' | 'completedAt' | 'lastSeen' | 'startedAt';
type CounterField = 'deletedDocumentCount' | 'indexedDocumentCount' | 'indexedDocumentVolume' | 'totalDocumentCount';

const asText = (name: string): string => `${name}::text AS ${name}`;

const ts = <F extends InstantField>(field: F, name: string): EntityColumn<F> => ({
  name,
  select: asText(name),
  cast: '::timestamptz',
  param: (job) => instantToPg(job[field]),
  read: (value) => instantFromPg(value) as SyncJob[F],
});

const counter = <F extends CounterField>(field: F, name: string): EntityColumn<F> => ({
  name,
  select: asText(name),
  cast: '',
  param: (job) => job[field],
  read: (value, row) => decodeCounter(String(row.id), name, value as number | string | null) as SyncJob[F],
});

const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The sync job row mapping, one entry per entity field (the mapped type makes a missing field a
 * compile error): column name, parameter cast, entity -> parameter, row -> entity. Inserts,
 * updates, reads and lists all derive their column lists, parameters and decoding from it.
 * The snapshot's `sync_cursor` is NOT in the `connector` text: it has its own column (below), so
 * a claim writes the cursor without rewriting the snapshot; reading merges it back.
 */
const ENTITY_COLUMNS: { readonly [F in keyof SyncJob]-?: EntityColumn<F> } = {
  id: { name: 'id', cast: '', param: (job) => job.id, read: (value) => String(value), text: 'id' },
  cancelationRequestedAt: ts('cancelationRequestedAt', 'cancelation_requested_at'),
  canceledAt: ts('canceledAt', 'canceled_at'),
  completedAt: ts('completedAt', 'completed_at'),
  connector: {
    name: 'connector',
    cast: '::text::json',
    param: (job) => snapshotText(job.connector),
    read: (value, row) => {
      const stored = fromJson(value);
      // `owned`: the driver parsed this row for this call only, so the snapshot keeps its parts (no copy).
      const snapshot = decodeSnapshot(isJsonObject(stored ?? null) ? (stored as JsonObject) : { id: String(row.connector_id) }, true);
      // Rows written before migration 3 keep their cursor inside the snapshot text: the column wins when set.
      const cursor = fromJson(row.sync_cursor);
      if (cursor !== undefined && cursor !== null) snapshot.syncCursor = cursor;
      return snapshot;
    },
  },
  createdAt: {
    name: 'created_at',
    select: asText('created_at'),
    cast: '::timestamptz',
    param: (job) => instantToPg(job.createdAt),
    read: (value, row) => {
      const at = instantFromPg(value);
      if (at === null) throw new CorruptSyncJobError(String(row.id), 'created_at', 'is missing');
      return at;
    },
  },
  deletedDocumentCount: counter('deletedDocumentCount', 'deleted_document_count'),
  error: { name: 'error', cast: '', param: (job) => job.error, read: textOrNull, text: 'error' },
  indexedDocumentCount: counter('indexedDocumentCount', 'indexed_document_count'),
  indexedDocumentVolume: counter('indexedDocumentVolume', 'indexed_document_volume'),
  jobType: { name: 'job_type', cast: '', param: (job) => job.jobType, read: (value, row) => decodeJobType(String(row.id), value as string) },
  lastSeen: ts('lastSeen', 'last_seen'),
  metadata: {
    name: 'metadata',
    cast: '::text::json',
    param: (job) => jsonText(job.metadata, 'metadata'),
    read: (value) => {
      const metadata = fromJson(value);
      return isJsonObject(metadata ?? null) ? (metadata as JsonObject) : {};
    },
  },
  startedAt: ts('startedAt', 'started_at'),
  status: { name: 'status', cast: '', param: (job) => job.status, read: (value, row) => decodeSyncStatus(String(row.id), value as string) },
  totalDocumentCount: counter('totalDocumentCount', 'total_document_count'),
  triggerMethod: {
    name: 'trigger_method',
    cast: '',
    param: (job) => job.triggerMethod,
    read: (value, row) => decodeTriggerMethod(String(row.id), value as string),
  },
  workerHostname: {
    name: 'worker_hostname',
    cast: '',
    param: (job) => job.workerHostname,
    read: textOrNull,
    text: 'worker_hostname',
  },
};

function entityColumn(field: keyof SyncJob): JobColumn {
  const spec = ENTITY_COLUMNS[field] as EntityColumn<keyof SyncJob>;
  const mutable = (MUTABLE_SYNC_JOB_FIELDS as readonly string[]).includes(field);
  return { ...spec, field, changes: mutable ? (field as MutableSyncJobField) : null };
}

/**
 * Every `sync_jobs` column, in statement order: `id` is always `$1` and `connector_id` `$2`
 * (the one-statement create filters the connector on `$2`). `connector_id` is the snapshot's id
 * (list's filter); `sync_cursor` (migration 3) the snapshot's cursor.
 */
export const JOB_COLUMNS: readonly JobColumn[] = [
  entityColumn('id'),
  {
    name: 'connector_id',
    cast: '',
    param: (job) => job.connector.id,
    text: 'connector.id',
    field: null,
    changes: null,
    read: null,
  },
  ...(Object.keys(ENTITY_COLUMNS) as (keyof SyncJob)[]).filter((f) => f !== 'id').map(entityColumn),
  {
    name: 'sync_cursor',
    cast: '::text::json',
    param: (job) => {
      const cursor = job.connector.syncCursor;
      return cursor === undefined || cursor === null ? null : jsonText(cursor, 'connector.sync_cursor');
    },
    field: null,
    changes: 'syncCursor',
    read: null,
  },
];

for (const field of MUTABLE_SYNC_JOB_FIELDS) {
  if (JOB_COLUMNS.filter((c) => c.changes === field).length !== 1) throw new Error(`no single sync_jobs column for [${field}]`);
}

const READ_COLUMNS = JOB_COLUMNS.filter((c) => c.field !== null && c.read !== null);

/**
 * The select list of a whole job (every column), with timestamptz and bigint columns as text
 * (`created_at::text AS created_at`): the server's text keeps microseconds, the counters'
 * decimal text goes through `decodeCounter`, so reads need no per-query type parsers
 * (`plainTypes`, see {@link QueryOptions}) and decode the same on pg and PGlite.
 */
export const JOB_SELECT = JOB_COLUMNS.map((c) => c.select ?? c.name).join(', ');

/** Job reads: every column of {@link JOB_SELECT} is text, boolean or json. */
export const PLAIN: QueryOptions = { plainTypes: true };

/** A row with every {@link JOB_COLUMNS} column as a job. */
export function rowToJob(row: Row): SyncJob {
  const job: Record<string, unknown> = {};
  for (const c of READ_COLUMNS) job[c.field as string] = c.read!(row[c.name], row);
  return job as unknown as SyncJob;
}

/** Refuses (UnstorableValueError) a job whose text columns hold what PostgreSQL text cannot. */
export function checkColumnsText(job: SyncJob, columns: readonly JobColumn[]): void {
  for (const c of columns) if (c.text !== undefined) checkText(c.param(job) as string | null, c.text);
}
