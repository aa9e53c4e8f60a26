/**
 * The worker side, this project's own extension: which jobs a worker may claim next,
 * in which order, and what the sweeper writes. Upstream leaves this to each worker; the rules
 * here follow the Python connectors framework (elastic/connectors, `connectors/protocol/connectors.py`
 * `SyncJobIndex.pending_jobs` / `idle_jobs` / `orphaned_idle_jobs`, and
 * `connectors/services/job_cleanup.py`).
 */
import { JOB_TYPES, matchEnum } from './enums.js';
import type { JobType, SyncStatus } from './enums.js';
import { InvalidRequestError } from './errors.js';
import { strictBodyParser } from './strict-body.js';
import type { Instant } from './instant.js';
import type { ClaimSyncJobCommand } from './lifecycle.js';
import { applyPlan } from './sync-job-plan.js';
import type { SyncJobPlan } from './sync-job-plan.js';
import { allowedFrom } from './transitions.js';
import type { SyncJob } from './sync-job.js';

/** Statuses a worker may claim, in the order it takes them: pending first, then suspended (Python's `pending_jobs`). */
export const CLAIMABLE_SYNC_STATUSES: readonly SyncStatus[] = ['pending', 'suspended'];

/** Statuses the sweeper looks at (Python's `idle_jobs` / `orphaned_idle_jobs`): a worker should be checking in. */
export const SWEEPABLE_SYNC_STATUSES: readonly SyncStatus[] = ['in_progress', 'canceling'];

/**
 * The error the sweeper writes, for idle and for orphaned jobs alike: `IDLE_JOB_ERROR` of
 * elastic/connectors `connectors/services/job_cleanup.py`, verbatim.
 */
export const IDLE_JOB_ERROR = 'The job has not seen any update for some time.';

/** The idle threshold of the Python framework (`IDLE_JOBS_THRESHOLD = 60 * 5`), milliseconds. */
export const DEFAULT_IDLE_THRESHOLD_MS = 5 * 60 * 1000;

/**
 * Which jobs a claim-next may take. Each list, when present and non-empty, restricts; absent or
 * empty lists match anything.
 */
export interface ClaimNextFilters {
  /** The snapshot's `connector.id` is one of these. */
  connectorIds?: readonly string[];
  /** The snapshot's `connector.service_type` is one of these. */
  serviceTypes?: readonly string[];
  /** `job_type` is one of these. */
  jobTypes?: readonly JobType[];
}

/** A parsed claim-next request: the `_claim` command plus the filters and the wait. */
export interface ClaimNextCommand extends ClaimSyncJobCommand {
  filters: ClaimNextFilters;
  /** How long to wait for a job when none is claimable now, milliseconds (0: answer at once). */
  waitMs: number;
}

/** True when `job` is claimable and passes the filters. */
export function isClaimable(job: SyncJob, filters: ClaimNextFilters): boolean {
  if (!CLAIMABLE_SYNC_STATUSES.includes(job.status)) return false;
  const { connectorIds, serviceTypes, jobTypes } = filters;
  if (connectorIds && connectorIds.length > 0 && !connectorIds.includes(job.connector.id)) return false;
  if (serviceTypes && serviceTypes.length > 0 && !serviceTypes.includes(job.connector.serviceType ?? '\u0000none')) return false;
  if (jobTypes && jobTypes.length > 0 && !jobTypes.includes(job.jobType)) return false;
  return true;
}

/** Claim order: pending before suspended, then oldest `createdAt` first, then id. Negative: `a` first. */
export function compareClaimOrder(a: SyncJob, b: SyncJob): number {
  const rank = (s: SyncStatus) => (s === 'pending' ? 0 : 1);
  return rank(a.status) - rank(b.status) || a.createdAt.compareTo(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The sweeper's write, as the Python framework's `SyncJob.fail(IDLE_JOB_ERROR)` (`_terminate`):
 * status `error`, the message, `completed_at` and `last_seen` = `now`, for a job still
 * in_progress or canceling (the moves to error the table allows); any other job is left as it
 * is. Pending and suspended jobs of a deleted connector are left alone, as in the Python
 * framework (the state machine has no pending -> error).
 */
export function sweepOrphanedSyncJobPlan(now: Instant): SyncJobPlan {
  return {
    cases: [{ from: allowedFrom('error', SWEEPABLE_SYNC_STATUSES), status: 'error', set: { error: IDLE_JOB_ERROR, completedAt: now, lastSeen: now } }],
    merge: {},
  };
}

/**
 * The sweeper's write for a job found idle, re-checked on the job as stored when the store
 * applies it: if a check-in (or any other write) moved `last_seen` past `idleBefore`, or the job
 * left in_progress/canceling, the job is left as it is (`noop`: the check-in won).
 */
export function sweepIdleSyncJobPlan(idleBefore: Instant, now: Instant): SyncJobPlan {
  return { ...sweepOrphanedSyncJobPlan(now), lastSeenAtOrBefore: idleBefore };
}

/** True when the job is in a sweepable status and was last seen at or before `idleBefore` (Python: `last_seen lte now-300s`). */
export function isIdle(job: SyncJob, idleBefore: Instant): boolean {
  return SWEEPABLE_SYNC_STATUSES.includes(job.status) && job.lastSeen !== null && job.lastSeen.compareTo(idleBefore) <= 0;
}

/** {@link sweepIdleSyncJobPlan} applied to `job`: the job unchanged when it is not idle. */
export const sweepIdleSyncJob = (job: SyncJob, idleBefore: Instant, now: Instant): SyncJob => applyPlan(job, sweepIdleSyncJobPlan(idleBefore, now)).job;

/** {@link sweepOrphanedSyncJobPlan} applied to `job`: the job unchanged unless in_progress or canceling. */
export const sweepOrphanedSyncJob = (job: SyncJob, now: Instant): SyncJob => applyPlan(job, sweepOrphanedSyncJobPlan(now)).job;

/** Longest wait a claim-next may ask for, milliseconds (a bounded long poll). */
export const MAX_CLAIM_WAIT_MS = 60_000;

/** The `filters` object of a claim-next body, strict as upstream's parsers are. */
const CLAIM_NEXT_FILTERS = strictBodyParser('claim_next_filters', {
  connector_ids: { type: 'array', nullable: true },
  service_types: { type: 'array', nullable: true },
  job_types: { type: 'array', nullable: true },
});

/**
 * The claim-next body on the domain's strict-body parser (unknown fields with did-you-mean,
 * wrong types, `Required [worker_hostname]`), as every body of the API.
 */
export const CLAIM_NEXT_BODY = strictBodyParser('claim_next_connector_sync_job', {
  worker_hostname: { type: 'string', required: true },
  sync_cursor: { type: 'object', nullable: true },
  filters: { type: 'object', nullable: true, parser: CLAIM_NEXT_FILTERS },
  wait_timeout: { type: 'time', nullable: true },
});

function bad(message: string, field?: string): InvalidRequestError {
  return new InvalidRequestError('validation', `Validation Failed: 1: ${message};`, field);
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw bad(`[${field}] must be an array of strings.`, 'filters');
  return value as string[];
}

/**
 * Elasticsearch-style time value (`30s`, `500ms`, `1m`) or a number of milliseconds, as
 * milliseconds. Units: ms, s, m. Throws InvalidRequestError for anything else.
 */
export function parseWaitTimeout(value: unknown): number {
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) ms = value;
  else if (typeof value === 'string') {
    const m = /^(\d+)(ms|s|m)$/.exec(value);
    if (m) ms = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
  }
  if (ms === undefined) throw bad('[wait_timeout] must be a time value such as [30s], [500ms] or a number of milliseconds.', 'wait_timeout');
  if (ms > MAX_CLAIM_WAIT_MS) throw bad(`[wait_timeout] must be at most [${MAX_CLAIM_WAIT_MS / 1000}s].`, 'wait_timeout');
  return ms;
}

/**
 * Parses a claim-next body (this project's `POST _connector/_sync_job/_claim_next`):
 * `{ worker_hostname: string (required, non-empty), sync_cursor?: object,
 *    filters?: { connector_ids?: string[], service_types?: string[], job_types?: string[] },
 *    wait_timeout?: "30s" | number of ms (default 0, at most 60 s) }`.
 * Job types are matched case-insensitively as upstream's enums are. Unknown fields, wrong types
 * and empty values are InvalidRequestError (`validation`).
 */
export function parseClaimNextRequest(body: unknown): ClaimNextCommand {
  const parsed = CLAIM_NEXT_BODY.parse(body);
  const hostname = parsed.worker_hostname;
  if (hostname.trim() === '') {
    throw bad('[worker_hostname] of the connector sync job cannot be null or empty.', 'worker_hostname');
  }
  const command: ClaimNextCommand = { workerHostname: hostname, filters: {}, waitMs: 0 };
  if (parsed.sync_cursor !== undefined && parsed.sync_cursor !== null) command.syncCursor = parsed.sync_cursor;
  const filters = parsed.filters;
  if (filters !== undefined && filters !== null) {
    if (filters.connector_ids != null) command.filters.connectorIds = stringList(filters.connector_ids, 'filters.connector_ids');
    if (filters.service_types != null) command.filters.serviceTypes = stringList(filters.service_types, 'filters.service_types');
    if (filters.job_types != null) {
      command.filters.jobTypes = stringList(filters.job_types, 'filters.job_types').map((raw) => {
        const t = matchEnum(JOB_TYPES, raw);
        if (!t) throw bad(`[filters.job_types] holds unknown job type [${raw}].`, 'filters');
        return t;
      });
    }
  }
  if (parsed.wait_timeout !== undefined && parsed.wait_timeout !== null) command.waitMs = parseWaitTimeout(parsed.wait_timeout);
  return command;
}
