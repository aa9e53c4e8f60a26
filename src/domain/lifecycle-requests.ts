import { JOB_TYPES, SYNC_STATUSES, matchEnum } from './enums.js';
import type { JobType, SyncStatus } from './enums.js';
import { InvalidRequestError } from './errors.js';
import type { ClaimSyncJobCommand, EndSyncJobCommand, ErrorSyncJobCommand, UpdateSyncJobStatsCommand } from './lifecycle.js';
import { Instant } from './instant.js';
import { strictBodyParser, throwIfInvalid } from './strict-body.js';

/**
 * The lifecycle requests (spec section 5) as upstream's request classes under
 * `connector/syncjob/action/` parse and validate them: the body first (strict parser), then
 * `validate()` with the job id check first. The lookup of the job comes after both.
 */

/** Upstream's `ConnectorSyncJobConstants.EMPTY_CONNECTOR_SYNC_JOB_ID_ERROR_MESSAGE`. */
export const EMPTY_SYNC_JOB_ID_MESSAGE = '[connector_sync_job_id] of the connector sync job cannot be null or empty.';

type Problem = { field?: string; message: string };

function jobIdProblems(id: string): Problem[] {
  return id === '' ? [{ field: 'connector_sync_job_id', message: EMPTY_SYNC_JOB_ID_MESSAGE }] : [];
}

/**
 * The validation of a request that carries only the job id (get, delete, cancel, check-in):
 * InvalidRequestError `Validation Failed: 1: [connector_sync_job_id] of the connector sync job cannot be null or empty.;`.
 */
export function validateSyncJobId(id: string): void {
  throwIfInvalid(jobIdProblems(id));
}

/** `_claim`'s body: upstream's `ClaimConnectorSyncJobAction.Request` parser. */
export const CLAIM_SYNC_JOB_BODY = strictBodyParser('claim_connector_sync_job', {
  worker_hostname: { type: 'string', required: true },
  sync_cursor: { type: 'object' },
});

/** `_error`'s body: upstream's `UpdateConnectorSyncJobErrorAction.Request` parser. */
export const ERROR_SYNC_JOB_BODY = strictBodyParser('connector_sync_job_error_request', {
  error: { type: 'string', required: true },
});

/** `_stats`'s body: upstream's `UpdateConnectorSyncJobIngestionStatsAction.Request` parser. */
export const UPDATE_SYNC_JOB_STATS_BODY = strictBodyParser('connector_sync_job_update_ingestion_stats', {
  deleted_document_count: { type: 'long', required: true },
  indexed_document_count: { type: 'long', required: true },
  indexed_document_volume: { type: 'long', required: true },
  total_document_count: { type: 'long' },
  last_seen: { type: 'instant' },
  metadata: { type: 'object' },
});

/**
 * `PUT _connector/_sync_job/<id>/_claim`: `{worker_hostname (string, required), sync_cursor
 * (object, optional)}`. Throws InvalidRequestError: parse errors, then validation (empty id).
 */
export function parseClaimSyncJobRequest(id: string, body: unknown): ClaimSyncJobCommand {
  const v = CLAIM_SYNC_JOB_BODY.parse(body);
  throwIfInvalid(jobIdProblems(id));
  const command: ClaimSyncJobCommand = { workerHostname: v.worker_hostname };
  if (v.sync_cursor !== undefined) command.syncCursor = v.sync_cursor;
  return command;
}

/** Upstream's `UpdateConnectorSyncJobErrorAction.ERROR_EMPTY_MESSAGE`. */
export const EMPTY_ERROR_MESSAGE = '[error] of the connector sync job cannot be null or empty';

/**
 * `PUT _connector/_sync_job/<id>/_error`: `{error (string, required)}`. Throws
 * InvalidRequestError: parse errors, then validation (empty id, empty error, both named).
 */
export function parseErrorSyncJobRequest(id: string, body: unknown): ErrorSyncJobCommand {
  const v = ERROR_SYNC_JOB_BODY.parse(body);
  const problems = jobIdProblems(id);
  if (v.error === '') problems.push({ field: 'error', message: EMPTY_ERROR_MESSAGE });
  throwIfInvalid(problems);
  return { error: v.error };
}

const STATS_COUNTERS = [
  ['deleted_document_count', 'deletedDocumentCount'],
  ['indexed_document_count', 'indexedDocumentCount'],
  ['indexed_document_volume', 'indexedDocumentVolume'],
  ['total_document_count', 'totalDocumentCount'],
] as const;

/**
 * `PUT _connector/_sync_job/<id>/_stats`: the three counters (required, 64-bit whole numbers),
 * `total_document_count` (optional), `last_seen` (optional date; now when absent), `metadata`
 * (optional object, merged). Throws InvalidRequestError: parse errors, then one validation
 * naming the empty id and every negative counter (`[x] cannot be negative.`).
 */
export function parseUpdateSyncJobStatsRequest(id: string, body: unknown): UpdateSyncJobStatsCommand {
  const v = UPDATE_SYNC_JOB_STATS_BODY.parse(body);
  const problems = jobIdProblems(id);
  for (const [wire] of STATS_COUNTERS) {
    const n = v[wire];
    if (n !== undefined && n < 0) problems.push({ field: wire, message: `[${wire}] cannot be negative.` });
  }
  throwIfInvalid(problems);
  const command: UpdateSyncJobStatsCommand = {
    deletedDocumentCount: v.deleted_document_count,
    indexedDocumentCount: v.indexed_document_count,
    indexedDocumentVolume: v.indexed_document_volume,
  };
  if (v.total_document_count !== undefined) command.totalDocumentCount = v.total_document_count;
  if (v.last_seen !== undefined) command.lastSeen = v.last_seen;
  if (v.metadata !== undefined) command.metadata = v.metadata;
  return command;
}

const END_FIELDS = {
  deleted_document_count: { type: 'long' },
  indexed_document_count: { type: 'long' },
  indexed_document_volume: { type: 'long' },
  total_document_count: { type: 'long' },
  metadata: { type: 'object' },
  sync_cursor: { type: 'object' },
} as const;

/** `_complete`'s optional body (this project's extension, strict as upstream's bodies). */
export const COMPLETE_SYNC_JOB_BODY = strictBodyParser('connector_sync_job_complete_request', END_FIELDS);

/** `_suspend`'s optional body (this project's extension, strict as upstream's bodies). */
export const SUSPEND_SYNC_JOB_BODY = strictBodyParser('connector_sync_job_suspend_request', END_FIELDS);

function parseEndRequest(parser: typeof COMPLETE_SYNC_JOB_BODY, id: string, body: unknown): EndSyncJobCommand {
  const v = body === undefined || body === null ? {} : parser.parse(body);
  const problems = jobIdProblems(id);
  for (const [wire] of STATS_COUNTERS) {
    const n = v[wire];
    if (n !== undefined && n !== null && n < 0) problems.push({ field: wire, message: `[${wire}] cannot be negative.` });
  }
  throwIfInvalid(problems);
  const command: EndSyncJobCommand = {};
  for (const [wire, field] of STATS_COUNTERS) {
    const n = v[wire];
    if (n !== undefined && n !== null) command[field] = n;
  }
  if (v.metadata !== undefined && v.metadata !== null) command.metadata = v.metadata;
  if (v.sync_cursor !== undefined && v.sync_cursor !== null) command.syncCursor = v.sync_cursor;
  return command;
}

/**
 * `PUT _connector/_sync_job/<id>/_complete` (spec section 8): an optional body of final
 * counters, `metadata` and `sync_cursor`. Throws InvalidRequestError: parse errors, then one
 * validation naming the empty id and every negative counter.
 */
export function parseCompleteSyncJobRequest(id: string, body: unknown): EndSyncJobCommand {
  return parseEndRequest(COMPLETE_SYNC_JOB_BODY, id, body);
}

/** `PUT _connector/_sync_job/<id>/_suspend` (spec section 8): as {@link parseCompleteSyncJobRequest}. */
export function parseSuspendSyncJobRequest(id: string, body: unknown): EndSyncJobCommand {
  return parseEndRequest(SUSPEND_SYNC_JOB_BODY, id, body);
}

/**
 * The `if_started_at` query parameter (spec section 8's fence): absent -> undefined; an ISO-8601
 * instant otherwise, else InvalidRequestError naming the parameter.
 */
export function parseIfStartedAt(value: string | undefined): Instant | undefined {
  if (value === undefined) return undefined;
  const at = Instant.parse(value);
  if (at === null) {
    throw new InvalidRequestError('validation', `Validation Failed: 1: [if_started_at] must be an ISO-8601 instant, got [${value}].;`, 'if_started_at');
  }
  return at;
}

/** A validated list request (`GET _connector/_sync_job`); the port's `SyncJobListQuery`. */
export interface ListSyncJobsParams {
  from: number;
  size: number;
  connectorId?: string;
  status?: SyncStatus;
  jobTypes?: readonly JobType[];
}

/** Default `from` of a list (upstream's `PageParams`): 0 matches skipped. */
export const DEFAULT_LIST_FROM = 0;
/** Default `size` of a list (upstream's `PageParams`): 100 jobs a page. */
export const DEFAULT_LIST_SIZE = 100;
/**
 * The most a list's `count` says (spec section 5): upstream's search counts hits up to its
 * default `track_total_hits`, 10,000, and answers 10,000 when more match.
 */
export const MAX_LIST_COUNT = 10_000;

/** Upstream's `PageParams.MAX_FROM_SIZE_SUM`. */
export const MAX_LIST_FROM_SIZE_SUM = 10000;

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** `RestRequest.paramAsInt`: Java's `Integer.parseInt` or the default when absent. */
function paramAsInt(params: Record<string, string | undefined>, key: string, fallback: number): number {
  const text = params[key];
  if (text === undefined) return fallback;
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < INT_MIN || n > INT_MAX) {
    throw new InvalidRequestError('illegal_value', `Failed to parse int parameter [${key}] with value [${text}]`, key);
  }
  return n + 0;
}

/** Java's `String.split(",")`: trailing empty strings dropped; the empty string gives none. */
function splitByComma(text: string): string[] {
  if (text === '') return [];
  const parts = text.split(',');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * The list request's query parameters as upstream's `RestListConnectorSyncJobsAction` reads
 * them, in its order: `from`, `size` (ints, `Failed to parse int parameter [from] with value
 * [x]`), `status` (one value, case-insensitive, `Unknown ConnectorSyncStatus [x].`),
 * `job_type` (comma list, `Unknown ConnectorSyncJobType [x].`), then `PageParams`:
 * `Parameter [from] cannot be < 0`, `Parameter [size] cannot be < 0`, `The sum of parameters
 * [from] and [size] cannot be higher than 10000.`. `connector_id` is taken as it is. Throws
 * InvalidRequestError (`illegal_value`, answered as `illegal_argument_exception`).
 */
export function parseListSyncJobsParams(params: Record<string, string | undefined>): ListSyncJobsParams {
  const from = paramAsInt(params, 'from', DEFAULT_LIST_FROM);
  const size = paramAsInt(params, 'size', DEFAULT_LIST_SIZE);
  const query: ListSyncJobsParams = { from, size };
  if (params.connector_id !== undefined) query.connectorId = params.connector_id;
  if (params.status !== undefined) {
    const status = matchEnum(SYNC_STATUSES, params.status);
    if (status === undefined) {
      throw new InvalidRequestError('illegal_value', `Unknown ConnectorSyncStatus [${params.status}].`, 'status');
    }
    query.status = status;
  }
  if (params.job_type !== undefined) {
    const types: JobType[] = [];
    for (const raw of splitByComma(params.job_type)) {
      const t = matchEnum(JOB_TYPES, raw);
      if (t === undefined) throw new InvalidRequestError('illegal_value', `Unknown ConnectorSyncJobType [${raw}].`, 'job_type');
      types.push(t);
    }
    query.jobTypes = types;
  }
  if (from < 0) throw new InvalidRequestError('illegal_value', 'Parameter [from] cannot be < 0', 'from');
  if (size < 0) throw new InvalidRequestError('illegal_value', 'Parameter [size] cannot be < 0', 'size');
  if (from + size > MAX_LIST_FROM_SIZE_SUM) {
    throw new InvalidRequestError(
      'illegal_value',
      `The sum of parameters [from] and [size] cannot be higher than ${MAX_LIST_FROM_SIZE_SUM}.`,
    );
  }
  return query;
}
