import type { SyncStatus } from './enums.js';
import { ConflictError, InvalidTransitionError } from './errors.js';
import type { Instant } from './instant.js';
import { isJsonObject, mergeJsonObjects } from './json.js';
import type { JsonObject } from './json.js';
import type { SyncJob } from './sync-job.js';
import { assertValidTransition } from './transitions.js';

/**
 * The job fields a plan sets to a value that does not depend on the stored job (instants,
 * counters, text): what a store may write without reading the job first.
 */
export type SyncJobAssignments = Partial<
  Pick<
    SyncJob,
    | 'cancelationRequestedAt'
    | 'canceledAt'
    | 'completedAt'
    | 'deletedDocumentCount'
    | 'error'
    | 'indexedDocumentCount'
    | 'indexedDocumentVolume'
    | 'lastSeen'
    | 'startedAt'
    | 'totalDocumentCount'
    | 'workerHostname'
  >
>;

/** What a plan does to a job in one of the `from` statuses. */
export interface SyncJobPlanCase {
  /** The stored statuses this case applies to (disjoint between the cases of one plan). */
  readonly from: readonly SyncStatus[];
  /** The status the job moves to (a move the transition table allows from each `from`); absent: kept. */
  readonly status?: SyncStatus;
  /** Fields set to these values. */
  readonly set: SyncJobAssignments;
}

/**
 * A lifecycle command as data: the only encoding of what a command does. {@link applyPlan} runs
 * it in JavaScript (the memory and Elasticsearch stores, and any store's fallback); the
 * PostgreSQL store compiles the same plan to one guarded statement. Its parts:
 * - `cases`: what it does from each accepted status (derived from the transition table);
 * - `refuse`: a stored status no case lists is refused as the move to `refuse`
 *   ({@link InvalidTransitionError}, upstream's message); without `refuse` such a job is left
 *   as it is (`noop`);
 * - `keep`: stored statuses the plan leaves as they are (`noop`: a repeated end);
 * - `merge`: JSON objects merged with {@link mergeJsonObjects}' semantics into the stored
 *   `metadata` and the snapshot's `syncCursor` (a non-object stored cursor is replaced);
 *   `replace.syncCursor` replaces the snapshot's cursor instead (the data source's cursor at a
 *   job's end); both apply in every case;
 * - `lastSeenAtOrBefore`: the plan applies only to a job last seen at or before this instant;
 *   any other job is left as it is (`noop`: the sweeper's re-check);
 * - `ifStartedAt`: the fence of a worker's call: a job whose `startedAt` is another instant (it
 *   was claimed again since) is a ConflictError (`started_at_mismatch`) and nothing is written.
 */
export interface SyncJobPlan {
  readonly cases: readonly SyncJobPlanCase[];
  readonly refuse?: SyncStatus;
  readonly keep?: readonly SyncStatus[];
  readonly merge: { readonly metadata?: JsonObject; readonly syncCursor?: JsonObject };
  readonly replace?: { readonly syncCursor?: JsonObject };
  readonly lastSeenAtOrBefore?: Instant;
  readonly ifStartedAt?: Instant;
}

/** `updated`: the plan applied to the job; `noop`: the plan left the job as it was (Elasticsearch's word). */
export type SyncJobUpdateResult = 'updated' | 'noop';

/** A job after a plan, and whether the plan applied. */
export interface SyncJobUpdate {
  readonly job: SyncJob;
  readonly result: SyncJobUpdateResult;
}

/** The case of `plan` for a job in `status`, if any. */
export function planCaseFor(plan: SyncJobPlan, status: SyncStatus): SyncJobPlanCase | undefined {
  return plan.cases.find((c) => c.from.includes(status));
}

/**
 * Applies `plan` to `job` in JavaScript: the job as it must become and `updated`, or the job
 * itself and `noop`, or {@link InvalidTransitionError} (nothing to write). Never changes its
 * input; untouched parts are kept by reference.
 */
export function applyPlan(job: SyncJob, plan: SyncJobPlan): SyncJobUpdate {
  const fence = plan.ifStartedAt;
  if (fence !== undefined && (job.startedAt === null || job.startedAt.epochMicros !== fence.epochMicros)) {
    throw ConflictError.startedAtMismatch(job.id, fence.toString(), job.startedAt?.toString() ?? null);
  }
  const guard = plan.lastSeenAtOrBefore;
  if (guard !== undefined && (job.lastSeen === null || job.lastSeen.compareTo(guard) > 0)) return { job, result: 'noop' };
  if (plan.keep?.includes(job.status)) return { job, result: 'noop' };
  const c = planCaseFor(plan, job.status);
  if (c === undefined) {
    if (plan.refuse === undefined) return { job, result: 'noop' };
    throw new InvalidTransitionError(job.status, plan.refuse);
  }
  const next: SyncJob = { ...job, ...c.set };
  if (c.status !== undefined) {
    assertValidTransition(job.status, c.status);
    next.status = c.status;
  }
  const { metadata, syncCursor } = plan.merge;
  if (metadata !== undefined) next.metadata = mergeJsonObjects(job.metadata, metadata);
  if (syncCursor !== undefined) {
    const prev = job.connector.syncCursor;
    next.connector = { ...job.connector, syncCursor: isJsonObject(prev) ? mergeJsonObjects(prev, syncCursor) : syncCursor };
  }
  const replaced = plan.replace?.syncCursor;
  if (replaced !== undefined) next.connector = { ...job.connector, syncCursor: replaced };
  return { job: next, result: 'updated' };
}

/** The job fields a plan may change; every other field is fixed at creation. */
export const MUTABLE_SYNC_JOB_FIELDS = [
  'cancelationRequestedAt',
  'canceledAt',
  'completedAt',
  'deletedDocumentCount',
  'error',
  'indexedDocumentCount',
  'indexedDocumentVolume',
  'lastSeen',
  'metadata',
  'startedAt',
  'status',
  'totalDocumentCount',
  'workerHostname',
  'syncCursor',
] as const;

/** A field a plan may change (`syncCursor` is the snapshot's `connector.syncCursor`). */
export type MutableSyncJobField = (typeof MUTABLE_SYNC_JOB_FIELDS)[number];

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a === 'object' && typeof b === 'object' && 'epochMicros' in a && 'epochMicros' in b) {
    return (a as Instant).epochMicros === (b as Instant).epochMicros;
  }
  return false;
}

/**
 * The fields `after` changed relative to `before`, by identity (plans keep untouched JSON parts
 * by reference) or, for instants, by value: what an adapter writes. Throws a TypeError when
 * `after` changed a field that is fixed at creation (a bug, never data).
 */
export function changedSyncJobFields(before: SyncJob, after: SyncJob): MutableSyncJobField[] {
  const fixed: (keyof SyncJob)[] = ['id', 'createdAt', 'jobType', 'triggerMethod'];
  for (const f of fixed) {
    if (!sameValue(before[f], after[f])) throw new TypeError(`a lifecycle plan changed [${f}] of sync job [${before.id}]`);
  }
  if (before.connector !== after.connector) {
    const { syncCursor: _a, ...b } = before.connector;
    const { syncCursor: _b, ...a } = after.connector;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) {
        throw new TypeError(`a lifecycle plan changed [connector.${k}] of sync job [${before.id}]`);
      }
    }
  }
  const changed: MutableSyncJobField[] = [];
  for (const f of MUTABLE_SYNC_JOB_FIELDS) {
    const x = f === 'syncCursor' ? before.connector.syncCursor : before[f];
    const y = f === 'syncCursor' ? after.connector.syncCursor : after[f];
    if (!sameValue(x, y)) changed.push(f);
  }
  return changed;
}
