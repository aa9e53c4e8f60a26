import type { ConnectorRecord, SyncJob } from '../domain/index.js';

/**
 * Reads connectors. Returns the record (deleted ones included, flagged) or null.
 * Failures to reach storage are StorageUnavailableError.
 */
export interface ConnectorLookup {
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

/**
 * Stores sync jobs. Every implementation passes the contract suite in `tests/contract`.
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
}

/** The current instant. */
export interface Clock {
  now(): Date;
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

export { TOKENS } from './tokens.js';
