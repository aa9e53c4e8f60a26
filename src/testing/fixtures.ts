/**
 * The builders every suite of the kit and of this project's tests share: connectors, jobs in
 * any status (a fixture seeds states; the library itself moves a job only through its plans),
 * clocks and id generators.
 */
import { Instant, newSyncJob } from '../internal.js';
import type { Clock, ConnectorRecord, IdGenerator, JobType, JsonObject, SyncJob, SyncJobPlan, SyncJobStore, SyncStatus, TriggerMethod } from '../internal.js';

let seq = 0;
/** Unique, valid-looking ids for tests (unique across the process). */
export function testIds(prefix = 'job'): IdGenerator {
  return { next: () => `${prefix}-${process.pid}-${++seq}`.padEnd(20, 'x').slice(0, 40) };
}

/** Ids `<prefix>-1`, `<prefix>-2`, ... */
export function sequentialIds(prefix = 'job'): IdGenerator {
  let n = 0;
  return { next: () => `${prefix}-${++n}` };
}

/** A clock that always answers `at`. */
export function fixedClock(at: Instant): Clock {
  return { now: () => at };
}

/** A clock that advances one microsecond on every call (no ties in list order). */
export function steppingClock(start: Instant = Instant.parse('2026-11-29T10:11:12.345678Z')!): Clock {
  let micros = start.epochMicros;
  return { now: () => Instant.ofEpochMicros(micros++) };
}

/**
 * A syncable connector record for tests: index `search-<id>`, service type `super-connector`,
 * language `en`, no pipeline, configuration or filtering, not deleted; `patch` overrides fields.
 */
export function connector(id: string, patch: Partial<ConnectorRecord> = {}): ConnectorRecord {
  return {
    id,
    indexName: `search-${id}`,
    serviceType: 'super-connector',
    language: 'en',
    pipeline: null,
    configuration: null,
    filtering: null,
    deleted: false,
    ...patch,
  };
}

/** What {@link syncJob} may set beyond a new job's defaults. */
export interface SyncJobFixture {
  /** Default: 2026-11-29T10:11:12.345Z. */
  createdAt?: Instant;
  jobType?: JobType;
  triggerMethod?: TriggerMethod;
  status?: SyncStatus;
  /** Default: null for a pending job, else `createdAt`. */
  startedAt?: Instant | null;
  /** Default: null for a pending job, else `old-worker`. */
  workerHostname?: string | null;
  /** Default: `createdAt`. */
  lastSeen?: Instant | null;
  metadata?: JsonObject;
  syncCursor?: JsonObject;
}

const FIXTURE_CREATED_AT = Instant.parse('2026-11-29T10:11:12.345Z')!;

/**
 * A job of `c` as the create makes it (`newSyncJob`), seeded in `fixture.status` with the
 * claim's fields a job in that status would carry (started, a worker, last seen).
 */
export function syncJob(id: string, c: ConnectorRecord, fixture: SyncJobFixture = {}): SyncJob {
  const createdAt = fixture.createdAt ?? FIXTURE_CREATED_AT;
  const j = newSyncJob(id, { connectorId: c.id, jobType: fixture.jobType ?? 'full', triggerMethod: fixture.triggerMethod ?? 'on_demand' }, c, createdAt);
  const status = fixture.status ?? 'pending';
  const claimed = status !== 'pending';
  const job: SyncJob = {
    ...j,
    status,
    startedAt: fixture.startedAt !== undefined ? fixture.startedAt : claimed ? createdAt : null,
    workerHostname: fixture.workerHostname !== undefined ? fixture.workerHostname : claimed ? 'old-worker' : null,
    lastSeen: fixture.lastSeen !== undefined ? fixture.lastSeen : createdAt,
  };
  if (fixture.metadata !== undefined) job.metadata = fixture.metadata;
  if (fixture.syncCursor !== undefined) job.connector = { ...job.connector, syncCursor: fixture.syncCursor };
  return job;
}

/** The job `store.apply(id, plan)` left stored, or null when there was none. */
export async function appliedJob(store: SyncJobStore, id: string, plan: SyncJobPlan): Promise<SyncJob | null> {
  return (await store.apply(id, plan))?.job ?? null;
}

/** The connector fields of the sync info (spec section 8) a test compares, `last_synced` apart. */
const SYNC_INFO_KEYS = [
  'lastSyncStatus',
  'lastSyncError',
  'lastAccessControlSyncStatus',
  'lastAccessControlSyncError',
  'lastIndexedDocumentCount',
  'lastDeletedDocumentCount',
  'syncCursor',
  'status',
  'error',
] as const;

/**
 * A connector's sync info as plain JSON for comparison: null and absent alike (spec section 8
 * allows either); `lastSynced` (ISO text) only with `withLastSynced`.
 */
export function syncInfoView(source: object | null | undefined, withLastSynced = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const record = source as Record<string, unknown> | null | undefined;
  for (const k of withLastSynced ? [...SYNC_INFO_KEYS, 'lastSynced'] : SYNC_INFO_KEYS) {
    const v = record?.[k];
    if (v !== null && v !== undefined) out[k] = v instanceof Instant ? v.toString() : JSON.parse(JSON.stringify(v));
  }
  return out;
}

/** What `p` rejects with; an Error when it resolves instead (a test that expected a refusal). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}
