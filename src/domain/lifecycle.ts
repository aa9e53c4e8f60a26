import { SYNC_STATUSES } from './enums.js';
import type { SyncStatus } from './enums.js';
import type { Instant } from './instant.js';
import type { JsonObject } from './json.js';
import { applyPlan } from './sync-job-plan.js';
import type { SyncJobAssignments, SyncJobPlan } from './sync-job-plan.js';
import type { SyncJob } from './sync-job.js';
import { allowedFrom } from './transitions.js';

/** A parsed `_claim` body (`claim_connector_sync_job`). */
export interface ClaimSyncJobCommand {
  /** `worker_hostname`, required. */
  workerHostname: string;
  /** `sync_cursor`, optional; merged into the snapshot's `sync_cursor`. */
  syncCursor?: JsonObject;
}

/** A parsed `_error` body (`connector_sync_job_error_request`). */
export interface ErrorSyncJobCommand {
  /** `error`, non-empty. */
  error: string;
}

/** A parsed `_stats` body (`connector_sync_job_update_ingestion_stats`). Counters are >= 0. */
export interface UpdateSyncJobStatsCommand {
  deletedDocumentCount: number;
  indexedDocumentCount: number;
  indexedDocumentVolume: number;
  /** Left as it is when absent. */
  totalDocumentCount?: number;
  /** `now` when absent. */
  lastSeen?: Instant;
  /** Merged into the stored metadata as Elasticsearch's partial update merges objects. */
  metadata?: JsonObject;
}

/**
 * A parsed `_complete` or `_suspend` body (`connector_sync_job_complete_request`,
 * `connector_sync_job_suspend_request`), every field optional: final counters (>= 0; a counter
 * not sent keeps its value), metadata merged, and the data source's cursor at the end, which
 * replaces the snapshot's `sync_cursor`.
 */
export interface EndSyncJobCommand {
  deletedDocumentCount?: number;
  indexedDocumentCount?: number;
  indexedDocumentVolume?: number;
  totalDocumentCount?: number;
  metadata?: JsonObject;
  syncCursor?: JsonObject;
}

const CANCELED_AT_ONCE: readonly SyncStatus[] = ['pending', 'suspended'];

/**
 * `_cancel`: a pending or suspended job becomes `canceled` at once (cancelation requested,
 * canceled and completed at `now`); any other moves to `canceling` (cancelation requested at
 * `now`), where the table allows it.
 */
export function cancelSyncJobPlan(now: Instant): SyncJobPlan {
  return {
    cases: [
      { from: allowedFrom('canceled', CANCELED_AT_ONCE), status: 'canceled', set: { cancelationRequestedAt: now, canceledAt: now, completedAt: now } },
      { from: allowedFrom('canceling').filter((s) => !CANCELED_AT_ONCE.includes(s)), status: 'canceling', set: { cancelationRequestedAt: now } },
    ],
    refuse: 'canceling',
    merge: {},
  };
}

/** `_check_in`: `last_seen` = `now`; no status check (upstream). */
export function checkInSyncJobPlan(now: Instant): SyncJobPlan {
  return { cases: [{ from: SYNC_STATUSES, set: { lastSeen: now } }], merge: {} };
}

/**
 * `_claim`: the checked move to `in_progress` (spec section 4: upstream does no check; here a
 * second claim is `in_progress` -> `in_progress`, refused), `worker_hostname`, `started_at` =
 * `last_seen` = `now`, and the sync cursor merged into the snapshot's as Elasticsearch's partial
 * update does (`connector: {sync_cursor}`).
 */
export function claimSyncJobPlan(command: ClaimSyncJobCommand, now: Instant): SyncJobPlan {
  return {
    cases: [{ from: allowedFrom('in_progress'), status: 'in_progress', set: { workerHostname: command.workerHostname, startedAt: now, lastSeen: now } }],
    refuse: 'in_progress',
    merge: command.syncCursor === undefined ? {} : { syncCursor: command.syncCursor },
  };
}

/**
 * `_error`: the checked move to `error`, with the message and `completed_at` = `last_seen` =
 * `now`, as the Python framework's `fail` writes them (spec section 8; upstream's `_error`
 * writes only status and error).
 */
export function errorSyncJobPlan(command: ErrorSyncJobCommand, now: Instant): SyncJobPlan {
  return {
    cases: [{ from: allowedFrom('error'), status: 'error', set: { error: command.error, completedAt: now, lastSeen: now } }],
    refuse: 'error',
    merge: {},
  };
}

/**
 * A job's good end (spec section 8), `to` completed or suspended: from in_progress the move to
 * `to` (`completed_at` for completed only, `last_seen` = now, `error` null); from canceling the
 * move to canceled (a requested cancelation wins: `canceled_at` = `completed_at` = `last_seen` =
 * now); a job already in `to` or canceled is left as it is (`noop`: a repeated end); the body's
 * counters, metadata and cursor apply in both moves.
 */
function endSyncJobPlan(to: 'completed' | 'suspended', command: EndSyncJobCommand, now: Instant): SyncJobPlan {
  const counts: SyncJobAssignments = {};
  if (command.deletedDocumentCount !== undefined) counts.deletedDocumentCount = command.deletedDocumentCount;
  if (command.indexedDocumentCount !== undefined) counts.indexedDocumentCount = command.indexedDocumentCount;
  if (command.indexedDocumentVolume !== undefined) counts.indexedDocumentVolume = command.indexedDocumentVolume;
  if (command.totalDocumentCount !== undefined) counts.totalDocumentCount = command.totalDocumentCount;
  const ended: SyncJobAssignments = to === 'completed' ? { completedAt: now, lastSeen: now, error: null } : { lastSeen: now, error: null };
  const plan: SyncJobPlan = {
    cases: [
      { from: allowedFrom(to, ['in_progress']), status: to, set: { ...counts, ...ended } },
      { from: allowedFrom('canceled', ['canceling']), status: 'canceled', set: { ...counts, canceledAt: now, completedAt: now, lastSeen: now, error: null } },
    ],
    keep: [to, 'canceled'],
    refuse: to,
    merge: command.metadata === undefined ? {} : { metadata: command.metadata },
  };
  return command.syncCursor === undefined ? plan : { ...plan, replace: { syncCursor: command.syncCursor } };
}

/** `_complete` (this project's extension): see {@link endSyncJobPlan}. */
export function completeSyncJobPlan(command: EndSyncJobCommand, now: Instant): SyncJobPlan {
  return endSyncJobPlan('completed', command, now);
}

/** `_suspend` (this project's extension): see {@link endSyncJobPlan}; no `completed_at`. */
export function suspendSyncJobPlan(command: EndSyncJobCommand, now: Instant): SyncJobPlan {
  return endSyncJobPlan('suspended', command, now);
}

/** `plan` fenced by a worker's claim (`if_started_at`): see {@link SyncJobPlan.ifStartedAt}. */
export function fencedPlan(plan: SyncJobPlan, ifStartedAt: Instant | undefined): SyncJobPlan {
  return ifStartedAt === undefined ? plan : { ...plan, ifStartedAt };
}

/**
 * `_stats`: sets the three counters, `total_document_count` when given, `last_seen` (given or
 * `now`) and merges `metadata` as Elasticsearch does; no status check (upstream).
 */
export function updateSyncJobStatsPlan(command: UpdateSyncJobStatsCommand, now: Instant): SyncJobPlan {
  const set: SyncJobAssignments = {
    deletedDocumentCount: command.deletedDocumentCount,
    indexedDocumentCount: command.indexedDocumentCount,
    indexedDocumentVolume: command.indexedDocumentVolume,
    lastSeen: command.lastSeen ?? now,
  };
  if (command.totalDocumentCount !== undefined) set.totalDocumentCount = command.totalDocumentCount;
  return { cases: [{ from: SYNC_STATUSES, set }], merge: command.metadata === undefined ? {} : { metadata: command.metadata } };
}

/** A plain move to `to` from every status the table allows it from, refused from the others. */
export function transitionPlan(to: SyncStatus): SyncJobPlan {
  return { cases: [{ from: allowedFrom(to), status: to, set: {} }], refuse: to, merge: {} };
}

// The same commands applied to a job in hand (tests, hosts): each is its plan, applied.

/** {@link cancelSyncJobPlan} applied to `job`; InvalidTransitionError when refused. */
export const cancelSyncJob = (job: SyncJob, now: Instant): SyncJob => applyPlan(job, cancelSyncJobPlan(now)).job;
/** {@link checkInSyncJobPlan} applied to `job`. */
export const checkInSyncJob = (job: SyncJob, now: Instant): SyncJob => applyPlan(job, checkInSyncJobPlan(now)).job;
/** {@link claimSyncJobPlan} applied to `job`; InvalidTransitionError when refused. */
export const claimSyncJob = (job: SyncJob, command: ClaimSyncJobCommand, now: Instant): SyncJob =>
  applyPlan(job, claimSyncJobPlan(command, now)).job;
/** {@link errorSyncJobPlan} applied to `job`; InvalidTransitionError when refused. */
export const errorSyncJob = (job: SyncJob, command: ErrorSyncJobCommand, now: Instant): SyncJob =>
  applyPlan(job, errorSyncJobPlan(command, now)).job;
/** {@link completeSyncJobPlan} applied to `job`; InvalidTransitionError when refused. */
export const completeSyncJob = (job: SyncJob, command: EndSyncJobCommand, now: Instant): SyncJob =>
  applyPlan(job, completeSyncJobPlan(command, now)).job;
/** {@link suspendSyncJobPlan} applied to `job`; InvalidTransitionError when refused. */
export const suspendSyncJob = (job: SyncJob, command: EndSyncJobCommand, now: Instant): SyncJob =>
  applyPlan(job, suspendSyncJobPlan(command, now)).job;
/** {@link updateSyncJobStatsPlan} applied to `job`. */
export const updateSyncJobStats = (job: SyncJob, command: UpdateSyncJobStatsCommand, now: Instant): SyncJob =>
  applyPlan(job, updateSyncJobStatsPlan(command, now)).job;
