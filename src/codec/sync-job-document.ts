import type {
  AdvancedSnippet,
  ConnectorSnapshot,
  FilteringRule,
  FilteringRules,
  FilteringValidation,
  IngestPipeline,
  JobType,
  JsonObject,
  JsonValue,
  SyncJob,
  SyncStatus,
  TriggerMethod,
} from '../domain/index.js';
import { CorruptSyncJobError, Instant, JOB_TYPES, SYNC_STATUSES, TRIGGER_METHODS, cloneJson, isJsonObject } from '../domain/index.js';

/**
 * The one codec between the camelCase entity and Elasticsearch's snake_case document
 * (spec section 2). Used by the Elasticsearch adapter (stored `_source`), the HTTP adapter
 * (responses) and the Postgres adapter (the jsonb snapshot). Keys come out in upstream's
 * order (ConnectorSyncJob.toXContent); null values are left out; dates are ISO-8601 UTC.
 */

/** A stored sync job document: `_source` in `.elastic-connectors-sync-jobs`, no `id`. */
export type SyncJobDocument = JsonObject;

/** `filtering` block in wire form. */
export function encodeFilteringRules(block: FilteringRules): JsonObject {
  const out: JsonObject = {};
  if (block.advancedSnippet) out.advanced_snippet = encodeAdvancedSnippet(block.advancedSnippet);
  out.rules = block.rules.map(encodeRule);
  if (block.validation) out.validation = encodeValidation(block.validation);
  return out;
}

function encodeAdvancedSnippet(s: AdvancedSnippet): JsonObject {
  return { created_at: s.createdAt, updated_at: s.updatedAt, value: cloneJson(s.value) };
}

function encodeRule(r: FilteringRule): JsonObject {
  return {
    created_at: r.createdAt,
    field: r.field,
    id: r.id,
    order: r.order,
    policy: r.policy,
    rule: r.rule,
    updated_at: r.updatedAt,
    value: r.value,
  };
}

function encodeValidation(v: FilteringValidation): JsonObject {
  return { errors: v.errors.map((e) => ({ ids: [...e.ids], messages: [...e.messages] })), state: v.state };
}

/** The ingest pipeline in wire form. */
export function encodePipeline(p: IngestPipeline): JsonObject {
  return {
    extract_binary_content: p.extractBinaryContent,
    name: p.name,
    reduce_whitespace: p.reduceWhitespace,
    run_ml_inference: p.runMlInference,
  };
}

/** The connector snapshot in wire form, keys in upstream's order. */
export function encodeSnapshot(s: ConnectorSnapshot): JsonObject {
  const out: JsonObject = { id: s.id };
  if (s.filtering !== undefined) out.filtering = encodeFilteringRules(s.filtering);
  if (s.indexName !== undefined) out.index_name = s.indexName;
  if (s.language !== undefined) out.language = s.language;
  if (s.pipeline !== undefined) out.pipeline = encodePipeline(s.pipeline);
  if (s.serviceType !== undefined) out.service_type = s.serviceType;
  if (s.configuration !== undefined) out.configuration = cloneJson(s.configuration);
  if (s.syncCursor !== undefined && s.syncCursor !== null) out.sync_cursor = cloneJson(s.syncCursor);
  return out;
}

const iso = (d: Instant): string => d.toString();

/** The stored document of a job (no `id`), keys in upstream's order, nulls left out. */
export function encodeSyncJobDocument(job: SyncJob): SyncJobDocument {
  const doc: JsonObject = {};
  if (job.cancelationRequestedAt) doc.cancelation_requested_at = iso(job.cancelationRequestedAt);
  if (job.canceledAt) doc.canceled_at = iso(job.canceledAt);
  if (job.completedAt) doc.completed_at = iso(job.completedAt);
  doc.connector = encodeSnapshot(job.connector);
  doc.created_at = iso(job.createdAt);
  doc.deleted_document_count = job.deletedDocumentCount;
  if (job.error !== null) doc.error = job.error;
  doc.indexed_document_count = job.indexedDocumentCount;
  doc.indexed_document_volume = job.indexedDocumentVolume;
  doc.job_type = job.jobType;
  if (job.lastSeen) doc.last_seen = iso(job.lastSeen);
  doc.metadata = cloneJson(job.metadata);
  if (job.startedAt) doc.started_at = iso(job.startedAt);
  doc.status = job.status;
  doc.total_document_count = job.totalDocumentCount;
  doc.trigger_method = job.triggerMethod;
  if (job.workerHostname !== null) doc.worker_hostname = job.workerHostname;
  return doc;
}

/** What a read answers: `{"id", ...document}`. */
export function toSyncJobResponse(job: SyncJob): JsonObject {
  return { id: job.id, ...encodeSyncJobDocument(job) };
}

/**
 * The error a decode throws for a stored job that is not a valid job: an alias of the domain's
 * {@link CorruptSyncJobError} (code `corrupt_sync_job`, naming job and field), so code that
 * imports it by this name keeps working.
 */
export { CorruptSyncJobError as MalformedDocumentError } from '../domain/index.js';

const str = (v: JsonValue | undefined): string | null => (typeof v === 'string' ? v : null);
const num = (v: JsonValue | undefined): number | null => (typeof v === 'number' ? v : null);
const bool = (v: JsonValue | undefined): boolean => v === true;
const obj = (v: JsonValue | undefined): JsonObject | null => (isJsonObject(v) ? v : null);
const arr = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);

/** A stored date: ISO-8601 text (microseconds kept) or epoch milliseconds, as Elasticsearch's date mapping accepts. */
function date(id: string, v: JsonValue | undefined, field: string): Instant | null {
  if (v === undefined || v === null) return null;
  const d =
    typeof v === 'string'
      ? Instant.parse(v)
      : typeof v === 'number' && Number.isFinite(v)
        ? Instant.ofEpochMillis(v)
        : null;
  if (!d) throw new CorruptSyncJobError(id, field, `is not a date: ${JSON.stringify(v)}`);
  return d;
}

/** A filtering block from wire form (unknown keys dropped, as upstream's parser does). */
export function decodeFilteringRules(v: JsonObject): FilteringRules {
  const snippet = obj(v.advanced_snippet);
  const validation = obj(v.validation);
  return {
    advancedSnippet: snippet && {
      createdAt: str(snippet.created_at),
      updatedAt: str(snippet.updated_at),
      value: snippet.value === undefined ? null : cloneJson(snippet.value),
    },
    rules: arr(v.rules)
      .map(obj)
      .filter((r): r is JsonObject => r !== null)
      .map((r) => ({
        createdAt: str(r.created_at),
        field: str(r.field),
        id: str(r.id),
        order: num(r.order),
        policy: str(r.policy),
        rule: str(r.rule),
        updatedAt: str(r.updated_at),
        value: str(r.value),
      })),
    validation: validation && {
      errors: arr(validation.errors)
        .map(obj)
        .filter((e): e is JsonObject => e !== null)
        .map((e) => ({
          ids: arr(e.ids).filter((x): x is string => typeof x === 'string'),
          messages: arr(e.messages).filter((x): x is string => typeof x === 'string'),
        })),
      state: str(validation.state),
    },
  };
}

/** The ingest pipeline from wire form. */
export function decodePipeline(v: JsonObject): IngestPipeline {
  return {
    extractBinaryContent: bool(v.extract_binary_content),
    name: str(v.name) ?? '',
    reduceWhitespace: bool(v.reduce_whitespace),
    runMlInference: bool(v.run_ml_inference),
  };
}

/**
 * The snapshot from wire form. `configuration` and `sync_cursor` are copied, unless `owned`: the
 * caller hands over a value nothing else holds (a row a driver has just parsed), which the
 * snapshot may then keep as it is.
 */
export function decodeSnapshot(v: JsonObject, owned = false): ConnectorSnapshot {
  const s: ConnectorSnapshot = { id: str(v.id) ?? '' };
  const filtering = obj(v.filtering);
  if (filtering) s.filtering = decodeFilteringRules(filtering);
  if (typeof v.index_name === 'string') s.indexName = v.index_name;
  if (typeof v.language === 'string') s.language = v.language;
  const pipeline = obj(v.pipeline);
  if (pipeline) s.pipeline = decodePipeline(pipeline);
  if (typeof v.service_type === 'string') s.serviceType = v.service_type;
  const configuration = obj(v.configuration);
  if (configuration) s.configuration = owned ? configuration : cloneJson(configuration);
  if (v.sync_cursor !== undefined && v.sync_cursor !== null) s.syncCursor = owned ? v.sync_cursor : cloneJson(v.sync_cursor);
  return s;
}

function oneOf<T extends string>(id: string, field: string, values: readonly T[], v: JsonValue | undefined, fallback: T): T {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
  throw new CorruptSyncJobError(id, field, `is not one of [${values.join(', ')}]: ${JSON.stringify(v)}`);
}

/** A stored `status`; CorruptSyncJobError for anything but one of the seven statuses (absent: pending). */
export function decodeSyncStatus(id: string, v: JsonValue | undefined): SyncStatus {
  return oneOf(id, 'status', SYNC_STATUSES, v, 'pending');
}

/** A stored `job_type`; CorruptSyncJobError for an unknown type (absent: full). */
export function decodeJobType(id: string, v: JsonValue | undefined): JobType {
  return oneOf(id, 'job_type', JOB_TYPES, v, 'full');
}

/** A stored `trigger_method`; CorruptSyncJobError for an unknown method (absent: on_demand). */
export function decodeTriggerMethod(id: string, v: JsonValue | undefined): TriggerMethod {
  return oneOf(id, 'trigger_method', TRIGGER_METHODS, v, 'on_demand');
}

/**
 * A stored counter (64-bit, >= 0): a whole number, or its decimal text (a Postgres `bigint` as
 * the driver hands it). Absent: 0. CorruptSyncJobError for a negative, fractional or non-numeric value.
 */
export function decodeCounter(id: string, field: string, v: JsonValue | bigint | undefined): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new CorruptSyncJobError(id, field, `is not a count >= 0: ${typeof v === 'bigint' ? String(v) : JSON.stringify(v)}`);
  }
  return n + 0;
}

/**
 * A job from its id and stored document. Throws CorruptSyncJobError (naming the job and the
 * field) for a document that is not a valid job: no connector or `created_at`, an unreadable
 * date, an unknown status, job type or trigger method, a negative or fractional counter.
 */
export function decodeSyncJobDocument(id: string, doc: JsonObject): SyncJob {
  const connector = obj(doc.connector);
  if (!connector) throw new CorruptSyncJobError(id, 'connector', 'is missing');
  const createdAt = date(id, doc.created_at, 'created_at');
  if (!createdAt) throw new CorruptSyncJobError(id, 'created_at', 'is missing');
  return {
    id,
    cancelationRequestedAt: date(id, doc.cancelation_requested_at, 'cancelation_requested_at'),
    canceledAt: date(id, doc.canceled_at, 'canceled_at'),
    completedAt: date(id, doc.completed_at, 'completed_at'),
    connector: decodeSnapshot(connector),
    createdAt,
    deletedDocumentCount: decodeCounter(id, 'deleted_document_count', doc.deleted_document_count),
    error: str(doc.error),
    indexedDocumentCount: decodeCounter(id, 'indexed_document_count', doc.indexed_document_count),
    indexedDocumentVolume: decodeCounter(id, 'indexed_document_volume', doc.indexed_document_volume),
    jobType: decodeJobType(id, doc.job_type),
    lastSeen: date(id, doc.last_seen, 'last_seen'),
    metadata: obj(doc.metadata) ? cloneJson(doc.metadata as JsonObject) : {},
    startedAt: date(id, doc.started_at, 'started_at'),
    status: decodeSyncStatus(id, doc.status),
    totalDocumentCount: decodeCounter(id, 'total_document_count', doc.total_document_count),
    triggerMethod: decodeTriggerMethod(id, doc.trigger_method),
    workerHostname: str(doc.worker_hostname),
  };
}
