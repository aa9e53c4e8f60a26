/**
 * The connector's sync info (spec section 8), what the Python framework's `Connector.sync_starts`
 * and `Connector.sync_done` write: at a job's claim, at every end of a job that had been claimed,
 * and when a running job is deleted. Pure: each store writes the info these functions give, in
 * the same atomic unit as the job's change where it can (memory, PostgreSQL).
 */
import { jobClassOf } from './enums.js';
import { SWEEPABLE_SYNC_STATUSES } from './workers.js';
import type { Instant } from './instant.js';
import type { JsonValue } from './json.js';
import type { ConnectorRecord } from './connector.js';
import type { SyncJob } from './sync-job.js';
import type { SyncJobPlan } from './sync-job-plan.js';

/** The connector fields a job's start or end writes; a field absent is left as stored. */
export interface ConnectorSyncInfo {
  lastSyncStatus?: string | null;
  lastSyncError?: string | null;
  lastAccessControlSyncStatus?: string | null;
  lastAccessControlSyncError?: string | null;
  lastSynced?: Instant;
  lastIndexedDocumentCount?: number;
  lastDeletedDocumentCount?: number;
  syncCursor?: JsonValue;
  /** The connector's own status: `connected`, or `error` when its job ended in error. */
  status?: string;
  error?: string | null;
}

/** What the framework writes when the job it ran is gone (`JOB_NOT_FOUND_ERROR`). */
export const JOB_NOT_FOUND_ERROR = "Couldn't find the job";

/** The statuses a job may end in (suspended included: its worker stopped). */
const END_STATUSES: readonly string[] = ['completed', 'suspended', 'error', 'canceled'];

/** The job class's status and error fields, set to `status` and `error`. */
function classFields(job: Pick<SyncJob, 'jobType'>, status: string, error: string | null): ConnectorSyncInfo {
  return jobClassOf(job.jobType) === 'access_control'
    ? { lastAccessControlSyncStatus: status, lastAccessControlSyncError: error }
    : { lastSyncStatus: status, lastSyncError: error };
}

/** A claim (`Connector.sync_starts`): the class's status in_progress, no error; the connector connected. */
export function syncStartInfo(job: SyncJob): ConnectorSyncInfo {
  return { ...classFields(job, 'in_progress', null), status: 'connected', error: null };
}

/**
 * An end (`Connector.sync_done`), from the job as it ended: `last_synced` its end time, the
 * class's status and error, the connector's status (`error` when the job ended in error, else
 * connected) and error; the counts unless suspended; the cursor for a content job that completed.
 */
export function syncEndInfo(job: SyncJob): ConnectorSyncInfo {
  const info: ConnectorSyncInfo = {
    ...classFields(job, job.status, job.error),
    status: job.status === 'error' ? 'error' : 'connected',
    error: job.error,
  };
  const ended = job.completedAt ?? job.lastSeen;
  if (ended !== null) info.lastSynced = ended;
  if (job.status !== 'suspended') {
    info.lastIndexedDocumentCount = job.indexedDocumentCount;
    info.lastDeletedDocumentCount = job.deletedDocumentCount;
  }
  if (job.status === 'completed' && jobClassOf(job.jobType) !== 'access_control' && job.connector.syncCursor !== undefined) {
    info.syncCursor = job.connector.syncCursor;
  }
  return info;
}

/** A running job deleted (the framework's `sync_done(None)`): the class's status error, `Couldn't find the job`. */
export function syncGoneInfo(job: Pick<SyncJob, 'jobType'>, now: Instant): ConnectorSyncInfo {
  return { ...classFields(job, 'error', JOB_NOT_FOUND_ERROR), status: 'error', error: JOB_NOT_FOUND_ERROR, lastSynced: now };
}

/**
 * True when a job in this state was claimed and has not ended (the statuses the sweeper watches):
 * its deletion writes {@link syncGoneInfo}.
 */
export function isRunning(job: Pick<SyncJob, 'status'>): boolean {
  return SWEEPABLE_SYNC_STATUSES.includes(job.status);
}

/**
 * True when `plan` may move a job to a status the connector records (a claim, an end): a store
 * whose writes are not one turn puts such a plan's job write and connector write in one
 * transaction (PostgreSQL), or follows the job's write with the connector's (Elasticsearch).
 */
export function writesSyncInfo(plan: SyncJobPlan): boolean {
  return plan.cases.some((c) => c.status === 'in_progress' || (c.status !== undefined && END_STATUSES.includes(c.status)));
}

/**
 * What the connector gets after `plan` moved a job to `after` (`result` updated): a claim's start,
 * an end of a job that had been claimed (a job canceled before any claim leaves the connector
 * alone), else nothing (check-in, stats, a cancel that only requests). The case that applied is
 * the one whose target is the job's new status: the targets of one plan's cases differ.
 */
export function syncInfoAfter(plan: SyncJobPlan, after: SyncJob): ConnectorSyncInfo | null {
  if (!plan.cases.some((c) => c.status === after.status)) return null;
  if (after.status === 'in_progress') return syncStartInfo(after);
  if (END_STATUSES.includes(after.status) && after.startedAt !== null) return syncEndInfo(after);
  return null;
}

/**
 * What the connector gets again when an end plan found the job already ended (`noop`): the end
 * info, so a retry repairs a connector write lost after the job's (Elasticsearch, two writes).
 */
export function syncInfoOnRepeat(plan: SyncJobPlan, job: SyncJob): ConnectorSyncInfo | null {
  if (!plan.keep?.includes(job.status) || job.startedAt === null) return null;
  return syncEndInfo(job);
}

/** The connector with `info` written over it (fields `info` does not name are kept). */
export function withSyncInfo(connector: ConnectorRecord, info: ConnectorSyncInfo): ConnectorRecord {
  return { ...connector, ...info };
}
