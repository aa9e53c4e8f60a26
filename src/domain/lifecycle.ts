import type { SyncStatus } from './enums.js';
import { InvalidTransitionError } from './errors.js';
import type { Instant } from './instant.js';
import { isJsonObject } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import type { SyncJob } from './sync-job.js';

/**
 * The sync job state machine (spec section 5; upstream's `ConnectorSyncJobStateMachine`):
 * for each status, the statuses it may move to. Terminal statuses move nowhere.
 */
export const SYNC_STATUS_TRANSITIONS: Readonly<Record<SyncStatus, readonly SyncStatus[]>> = {
  pending: ['in_progress', 'canceled'],
  in_progress: ['canceling', 'completed', 'suspended', 'error'],
  suspended: ['in_progress', 'canceled'],
  canceling: ['canceled', 'error'],
  completed: [],
  canceled: [],
  error: [],
};

/** True when the table allows `from` -> `to`. */
export function isValidTransition(from: SyncStatus, to: SyncStatus): boolean {
  return SYNC_STATUS_TRANSITIONS[from].includes(to);
}

/** Throws {@link InvalidTransitionError} unless the table allows `from` -> `to`. */
export function assertValidTransition(from: SyncStatus, to: SyncStatus): void {
  if (!isValidTransition(from, to)) throw new InvalidTransitionError(from, to);
}

/** A parsed `_claim` body (`claim_connector_sync_job`). */
export interface ClaimSyncJobCommand {
  /** `worker_hostname`, required. */
  workerHostname: string;
  /** `sync_cursor`, optional; stored as the snapshot's `sync_cursor`. */
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
 * Elasticsearch's partial-update merge (`XContentHelper.update`, what `_update` with `doc` does):
 * for each key of `changes`, two objects merge recursively; any other value replaces. Keys of
 * `base` that `changes` does not name are kept. Returns a new object; neither input is changed.
 */
export function mergeJsonObjects(base: JsonObject, changes: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(base)) setOwn(out, key, base[key] as JsonValue);
  for (const key of Object.keys(changes)) {
    const next = changes[key] as JsonValue;
    const prev = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
    setOwn(out, key, isJsonObject(prev) && isJsonObject(next) ? mergeJsonObjects(prev, next) : next);
  }
  return out;
}

function setOwn(out: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * `_cancel`: a pending or suspended job becomes `canceled` at once (cancelation requested,
 * canceled and completed at `now`); any other moves to `canceling` (cancelation requested at
 * `now`). Checked against the table: InvalidTransitionError.
 */
export function cancelSyncJob(job: SyncJob, now: Instant): SyncJob {
  if (job.status === 'pending' || job.status === 'suspended') {
    assertValidTransition(job.status, 'canceled');
    return { ...job, status: 'canceled', cancelationRequestedAt: now, canceledAt: now, completedAt: now };
  }
  assertValidTransition(job.status, 'canceling');
  return { ...job, status: 'canceling', cancelationRequestedAt: now };
}

/** `_check_in`: `last_seen` = `now`; no status check (upstream). */
export function checkInSyncJob(job: SyncJob, now: Instant): SyncJob {
  return { ...job, lastSeen: now };
}

/**
 * `_claim`: the checked transition to `in_progress` (spec section 4: upstream does no check;
 * here a second claim is `in_progress` -> `in_progress`, refused), `worker_hostname`,
 * `started_at` = `last_seen` = `now`, and the sync cursor merged into the snapshot as
 * Elasticsearch's partial update does (`connector: {sync_cursor}`).
 */
export function claimSyncJob(job: SyncJob, command: ClaimSyncJobCommand, now: Instant): SyncJob {
  assertValidTransition(job.status, 'in_progress');
  const next: SyncJob = { ...job, status: 'in_progress', workerHostname: command.workerHostname, startedAt: now, lastSeen: now };
  if (command.syncCursor !== undefined) {
    const prev = job.connector.syncCursor;
    const cursor = isJsonObject(prev) ? mergeJsonObjects(prev, command.syncCursor) : command.syncCursor;
    next.connector = { ...job.connector, syncCursor: cursor };
  }
  return next;
}

/** `_error`: the checked transition to `error`, with the message (upstream sets nothing else). */
export function errorSyncJob(job: SyncJob, command: ErrorSyncJobCommand, _now: Instant): SyncJob {
  assertValidTransition(job.status, 'error');
  return { ...job, status: 'error', error: command.error };
}

/**
 * `_stats`: sets the three counters, `total_document_count` when given, `last_seen` (given or
 * `now`) and merges `metadata` as Elasticsearch does; no status check (upstream).
 */
export function updateSyncJobStats(job: SyncJob, command: UpdateSyncJobStatsCommand, now: Instant): SyncJob {
  const next: SyncJob = {
    ...job,
    deletedDocumentCount: command.deletedDocumentCount,
    indexedDocumentCount: command.indexedDocumentCount,
    indexedDocumentVolume: command.indexedDocumentVolume,
    lastSeen: command.lastSeen ?? now,
  };
  if (command.totalDocumentCount !== undefined) next.totalDocumentCount = command.totalDocumentCount;
  if (command.metadata !== undefined) next.metadata = mergeJsonObjects(job.metadata, command.metadata);
  return next;
}

/** The job fields a lifecycle command may change; every other field is fixed at creation. */
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

/** A field a lifecycle command may change (`syncCursor` is the snapshot's `connector.syncCursor`). */
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
 * The fields `after` changed relative to `before`, by identity (commands keep untouched JSON
 * parts by reference) or, for instants, by value: what an adapter writes. Throws a TypeError
 * when `after` changed a field that is fixed at creation (a bug in the decision, never data).
 */
export function changedSyncJobFields(before: SyncJob, after: SyncJob): MutableSyncJobField[] {
  const fixed: (keyof SyncJob)[] = ['id', 'createdAt', 'jobType', 'triggerMethod'];
  for (const f of fixed) {
    if (!sameValue(before[f], after[f])) throw new TypeError(`a lifecycle decision changed [${f}] of sync job [${before.id}]`);
  }
  if (before.connector !== after.connector) {
    const { syncCursor: _a, ...b } = before.connector;
    const { syncCursor: _b, ...a } = after.connector;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) {
        throw new TypeError(`a lifecycle decision changed [connector.${k}] of sync job [${before.id}]`);
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

/**
 * The job fields a command sets to a value that does not depend on the stored job (instants,
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

/** What a command does to a job in one of the `from` statuses. */
export interface SyncJobPlanCase {
  /** The stored statuses this case applies to (disjoint between the cases of one plan). */
  readonly from: readonly SyncStatus[];
  /** The status the job moves to; absent: the status is kept. */
  readonly status?: SyncStatus;
  /** Fields set to these values. */
  readonly set: SyncJobAssignments;
}

/**
 * A lifecycle command as data, for a store that applies it in one guarded statement (issue 13):
 * the statuses it accepts, what it does from each (`cases`, derived from
 * {@link SYNC_STATUS_TRANSITIONS}), and the JSON objects it merges into stored values with
 * {@link mergeJsonObjects}' semantics (`metadata` into the job's metadata, a non-object stored
 * value counting as `{}`; `syncCursor` into the snapshot's cursor, a non-object stored cursor
 * being replaced). A job whose status no case lists is refused by the command with
 * {@link InvalidTransitionError}: the store then runs `decide` on the stored job to get
 * upstream's exact message. Applying the plan to a job gives what `decide` gives (checked by a
 * property test against SQL in tests/adapters/postgres).
 */
export interface SyncJobCommandPlan {
  /** What the command does from each accepted status (disjoint `from` lists). */
  readonly cases: readonly SyncJobPlanCase[];
  /** JSON objects merged into the stored `metadata` and the snapshot's `syncCursor`. */
  readonly merge: { readonly metadata?: JsonObject; readonly syncCursor?: JsonObject };
}

/** A command both ways: the decision (`SyncJobStore.update`) and the same as data (the one-statement path). */
export interface SyncJobCommand {
  /** The stored job as it must become, or InvalidTransitionError (the command's pure function, `now` fixed). */
  readonly decide: (job: SyncJob) => SyncJob;
  /** The same command as data; applying it to a job gives what `decide` gives. */
  readonly plan: SyncJobCommandPlan;
}

const ALL_STATUSES = Object.keys(SYNC_STATUS_TRANSITIONS) as SyncStatus[];

/** The statuses from which the table allows the move to `to`. */
const allowedFrom = (to: SyncStatus, among: readonly SyncStatus[] = ALL_STATUSES): SyncStatus[] =>
  among.filter((s) => isValidTransition(s, to));

/** {@link cancelSyncJob} as a {@link SyncJobCommand}, `now` fixed once. */
export function cancelSyncJobCommand(now: Instant): SyncJobCommand {
  const atOnce: SyncStatus[] = ['pending', 'suspended'];
  return {
    decide: (job) => cancelSyncJob(job, now),
    plan: {
      cases: [
        { from: allowedFrom('canceled', atOnce), status: 'canceled', set: { cancelationRequestedAt: now, canceledAt: now, completedAt: now } },
        {
          from: allowedFrom('canceling', ALL_STATUSES.filter((s) => !atOnce.includes(s))),
          status: 'canceling',
          set: { cancelationRequestedAt: now },
        },
      ],
      merge: {},
    },
  };
}

/** {@link checkInSyncJob} as a {@link SyncJobCommand} (any status). */
export function checkInSyncJobCommand(now: Instant): SyncJobCommand {
  return { decide: (job) => checkInSyncJob(job, now), plan: { cases: [{ from: ALL_STATUSES, set: { lastSeen: now } }], merge: {} } };
}

/** {@link claimSyncJob} as a {@link SyncJobCommand}: the cursor is a merge. */
export function claimSyncJobCommand(command: ClaimSyncJobCommand, now: Instant): SyncJobCommand {
  return {
    decide: (job) => claimSyncJob(job, command, now),
    plan: {
      cases: [
        { from: allowedFrom('in_progress'), status: 'in_progress', set: { workerHostname: command.workerHostname, startedAt: now, lastSeen: now } },
      ],
      merge: command.syncCursor === undefined ? {} : { syncCursor: command.syncCursor },
    },
  };
}

/** {@link errorSyncJob} as a {@link SyncJobCommand}. */
export function errorSyncJobCommand(command: ErrorSyncJobCommand, now: Instant): SyncJobCommand {
  return {
    decide: (job) => errorSyncJob(job, command, now),
    plan: { cases: [{ from: allowedFrom('error'), status: 'error', set: { error: command.error } }], merge: {} },
  };
}

/** {@link updateSyncJobStats} as a {@link SyncJobCommand} (any status): metadata is a merge. */
export function updateSyncJobStatsCommand(command: UpdateSyncJobStatsCommand, now: Instant): SyncJobCommand {
  const set: SyncJobAssignments = {
    deletedDocumentCount: command.deletedDocumentCount,
    indexedDocumentCount: command.indexedDocumentCount,
    indexedDocumentVolume: command.indexedDocumentVolume,
    lastSeen: command.lastSeen ?? now,
  };
  if (command.totalDocumentCount !== undefined) set.totalDocumentCount = command.totalDocumentCount;
  return {
    decide: (job) => updateSyncJobStats(job, command, now),
    plan: { cases: [{ from: ALL_STATUSES, set }], merge: command.metadata === undefined ? {} : { metadata: command.metadata } },
  };
}
