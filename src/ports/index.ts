import type { ConnectorRecord, Instant, JobType, SyncJob, SyncJobPlan, SyncJobUpdate, SyncStatus } from '../domain/index.js';

/**
 * Reads connectors. Returns the record (deleted ones included, flagged) or null.
 * Failures to reach storage are StorageUnavailableError.
 */
export interface ConnectorLookup {
  /**
   * A lookup may answer from a cache (the PostgreSQL adapter's does): the record can then be
   * older than the stored one, and the store checks it at insert ({@link InsertOptions.source}).
   */
  findById(id: string): Promise<ConnectorRecord | null>;
}

/** Outcome of a connector upsert. */
export type UpsertResult = 'created' | 'updated';

/** Options of {@link ConnectorStore.delete} (upstream's `DELETE _connector/<id>` parameters). */
export interface DeleteConnectorOptions {
  /** Remove the connector itself (`hard=true`); default false: a soft delete (`deleted: true`). */
  hard?: boolean;
  /** Also remove every sync job of the connector (`delete_sync_jobs=true`); default false. */
  deleteSyncJobs?: boolean;
}

/** Reads and writes connectors (setup endpoint, tests, host apps). */
export interface ConnectorStore extends ConnectorLookup {
  /** Creates or replaces the connector with this id. */
  upsert(connector: ConnectorRecord): Promise<UpsertResult>;
  /**
   * Deletes a connector: a soft delete sets `deleted: true` (reads by `findById` still return it,
   * flagged; the core then treats it as not found); `hard` removes it. With `deleteSyncJobs`
   * the connector's jobs go too, in the same transaction where the storage has them
   * (PostgreSQL); Elasticsearch removes them with a refreshed delete-by-query after the connector.
   * ConnectorNotFoundError when there is no such connector, or when a soft delete finds it
   * already soft-deleted. StorageUnavailableError when the storage cannot be reached.
   */
  delete(id: string, options?: DeleteConnectorOptions): Promise<void>;
}

/** Idempotency of one create (spec section 4). */
export interface IdempotencyClaim {
  /** The caller's key (HTTP `Idempotency-Key`). */
  key: string;
  /** A canonical form of the request; the same key with another fingerprint is a conflict. */
  fingerprint: string;
}

/** Options of one insert, each enforced atomically by the store. */
export interface InsertOptions {
  /** Same key and fingerprint: no new job, the earlier one is returned. Same key, other fingerprint: ConflictError. */
  idempotency?: IdempotencyClaim;
  /** Refuse (ConflictError `active_job_exists`) while a pending, in_progress, canceling or suspended job of the same class exists for the connector. */
  oneActivePerClass?: boolean;
  /**
   * The connector the job was built from, as the create's ConnectorLookup returned it, and how
   * the domain builds the same job from another record (`newSyncJob`; it throws the domain's
   * errors: not found, not syncable). A store whose lookup may answer from a cache (PostgreSQL)
   * inserts the job only while that record is still the stored one; otherwise it reads the
   * connector as stored, inside its transaction, and inserts `rebuild(<that record or null>)`.
   * Stores that read connectors afresh for each create ignore it.
   */
  source?: InsertSource;
}

/** See {@link InsertOptions.source}. */
export interface InsertSource {
  connector: ConnectorRecord;
  rebuild(connector: ConnectorRecord | null): SyncJob;
}

/** What an insert did. */
export interface InsertResult {
  /** The stored job: the new one, or the earlier one for a replayed idempotency key. */
  job: SyncJob;
  /** False when an idempotent replay returned an earlier job. */
  created: boolean;
}

/** What an idempotency key is bound to. */
export interface IdempotencyRecord {
  fingerprint: string;
  jobId: string;
}

/** The filters and page of a list (`GET _connector/_sync_job`), already validated. */
export interface SyncJobListQuery {
  /** Matches to skip, >= 0. */
  from: number;
  /** Most results to return, >= 0. */
  size: number;
  /** Only jobs whose snapshot's `connector.id` is this. */
  connectorId?: string;
  /** Only jobs in this status. */
  status?: SyncStatus;
  /** Only jobs of these types (none or empty: any). */
  jobTypes?: readonly JobType[];
}

/**
 * One page of a list: `count` is the number of matches up to `MAX_LIST_COUNT` (10,000, as
 * upstream's search counts them), then 10,000; `results` the page, newest `createdAt` first.
 */
export interface SyncJobListResult {
  count: number;
  results: SyncJob[];
}

/**
 * Stores sync jobs. Every implementation passes the contract suite in `connector-sync-jobs/testing` (`src/testing`).
 * - `insert` never overwrites: an existing id is ConflictError `duplicate_id`; the job is
 *   readable as soon as the promise resolves; on any failure nothing is stored.
 * - A store that also holds connectors refuses, atomically, a job whose connector is missing
 *   or soft-deleted at write time (ConnectorNotFoundError): no orphan jobs.
 * - Storage failures are StorageUnavailableError; no driver error escapes.
 */
export interface SyncJobStore {
  insert(job: SyncJob, options?: InsertOptions): Promise<InsertResult>;
  /** The job, or null when there is none. */
  get(id: string): Promise<SyncJob | null>;
  /** What an idempotency key is bound to, or null. */
  findIdempotencyKey(key: string): Promise<IdempotencyRecord | null>;
  /**
   * Applies a lifecycle plan (the domain's `cancelSyncJobPlan`, `claimSyncJobPlan`, ...) to the
   * stored job atomically against every other writer (spec section 4): the result is what the
   * domain's `applyPlan` gives on the job as stored at the moment of the write, and only the
   * fields it changed are written (`changedSyncJobFields`). Returns the job as stored afterwards
   * with `updated`, or the job as it is with `noop` when the plan left it alone, or null when
   * there is no job with this id. A refusal (InvalidTransitionError) propagates and nothing is
   * written. A lost race is retried inside the store, never surfaced as a conflict.
   */
  apply(id: string, plan: SyncJobPlan): Promise<SyncJobUpdate | null>;
  /** Jobs matching the query, newest `createdAt` first (ties by id); `count` counts all matches. */
  list(query: SyncJobListQuery): Promise<SyncJobListResult>;
  /**
   * Removes the job; false when there was none. Frees what it held (spec section 4): an
   * idempotency key bound to it gives a new job on its next use, and it no longer counts for
   * the one-active-job policy. A store that holds connectors writes the connector of a running
   * job (`isRunning`) `syncGoneInfo(job, now)` (spec section 8; `now` defaults to the wall clock),
   * atomically with the delete where it can.
   *
   * `apply` likewise writes the connector's sync info a plan's outcome calls for
   * (`syncInfoAfter`; on a `noop` repeat of an end, a store whose two writes are not atomic
   * writes `syncInfoOnRepeat` again), on memory and PostgreSQL in the same atomic unit as the job.
   */
  delete(id: string, now?: Instant): Promise<boolean>;
}

/** The current instant (microsecond precision; see {@link Instant}). */
export interface Clock {
  now(): Instant;
}

/** New sync job ids. */
export interface IdGenerator {
  next(): string;
}

/** Settings of the create use case. */
export interface CreateSyncJobSettings {
  /** Spec section 4: one active job per connector and job class. Off by default, as upstream. */
  oneActiveJobPerClass: boolean;
}

/** Something to close when the host shuts down (pools, clients, embedded databases). */
export interface Closeable {
  close(): Promise<void>;
}

export type { SweepCandidates, SyncJobQueue, WorkWatch } from './queue.js';
