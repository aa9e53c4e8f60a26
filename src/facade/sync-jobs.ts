import {
  ConnectorNotFoundError,
  Instant,
  parseClaimNextRequest,
  parseClaimSyncJobRequest,
  parseCompleteSyncJobRequest,
  parseErrorSyncJobRequest,
  parseSuspendSyncJobRequest,
  parseUpdateSyncJobStatsRequest,
} from '../domain/index.js';
import type { ConnectorRecord, JobType, JsonObject, SyncJob, SyncJobUpdate, SyncStatus, TriggerMethod } from '../domain/index.js';
import type { FenceOptions, SweepOptions, SweepResult } from '../application/index.js';
import type { DeleteConnectorOptions, SyncJobListResult, UpsertResult } from '../ports/index.js';
import { TOKENS } from '../tokens.js';
import type { ServiceToken } from '../tokens.js';

/** Resolves a service from the container (the facade resolves each use case on first use). */
export type Resolve = <T>(token: ServiceToken<T>) => T;

/** What {@link SyncJobs.create} takes. */
export interface CreateSyncJobInput {
  /** The connector to sync (non-empty). */
  connectorId: string;
  /** Default `full`. */
  jobType?: JobType;
  /** Default `on_demand`. */
  triggerMethod?: TriggerMethod;
}

/** Per-call options of {@link SyncJobs.create}. */
export interface CreateOptions {
  /** The same key and request give the same job; another request with it is a ConflictError. 1 to 255 characters. */
  idempotencyKey?: string;
}

/** What {@link SyncJobs.list} takes; every field optional. */
export interface ListSyncJobsInput {
  /** Only the jobs of this connector. */
  connectorId?: string;
  /** Only jobs in this status. */
  status?: SyncStatus;
  /** Only jobs of these types (empty: any). */
  jobTypes?: readonly JobType[];
  /** Matches to skip, >= 0 (default 0). */
  from?: number;
  /** Most results, >= 0 (default 100); `from + size` <= 10,000. */
  size?: number;
}

/** What {@link SyncJobs.claim} takes. */
export interface ClaimInput {
  /** The worker that runs the job. */
  workerHostname: string;
  /** Merged into the job's `connector.sync_cursor`. */
  syncCursor?: JsonObject;
}

/** Which jobs {@link SyncJobs.claimNext} may take; each non-empty list restricts. */
export interface ClaimNextFiltersInput {
  /** The job's connector is one of these. */
  connectorIds?: readonly string[];
  /** The connector's service type is one of these. */
  serviceTypes?: readonly string[];
  /** The job's type is one of these. */
  jobTypes?: readonly JobType[];
}

/** What {@link SyncJobs.claimNext} takes. */
export interface ClaimNextInput extends ClaimInput {
  /** Which jobs to take. */
  filters?: ClaimNextFiltersInput;
  /** How long to wait for a job when none is claimable now, ms (default 0: one attempt; at most 60,000). */
  waitMs?: number;
  /** Ends the wait early; the call then resolves null. */
  signal?: AbortSignal;
}

/** What {@link SyncJobs.error} takes. */
export interface ErrorInput {
  /** The failure's message (non-empty). */
  error: string;
}

/** What {@link SyncJobs.updateStats} takes: the counters are whole numbers >= 0. */
export interface UpdateStatsInput {
  /** Documents deleted so far. */
  deletedDocumentCount: number;
  /** Documents indexed so far. */
  indexedDocumentCount: number;
  /** Volume indexed so far (upstream: MB). */
  indexedDocumentVolume: number;
  /** Documents in the index, when known. */
  totalDocumentCount?: number;
  /** When the worker was last seen (default now): an Instant, a Date or an ISO-8601 string. */
  lastSeen?: Instant | Date | string;
  /** Merged into the job's metadata (objects key by key). */
  metadata?: JsonObject;
}

/** What {@link SyncJobs.complete} and {@link SyncJobs.suspend} take; every field optional. */
export interface EndInput {
  /** Final counters (whole numbers >= 0); a counter not given keeps its value. */
  deletedDocumentCount?: number;
  indexedDocumentCount?: number;
  indexedDocumentVolume?: number;
  totalDocumentCount?: number;
  /** Merged into the job's metadata (objects key by key). */
  metadata?: JsonObject;
  /** The data source's cursor at the end: replaces the job's `connector.sync_cursor`. */
  syncCursor?: JsonObject;
}

/** A body field only when its value is given (a strict parser refuses `undefined`). */
function defined(fields: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) body[key] = value;
  return body;
}

/** An end's body in its wire form (the domain's parser checks it, as over HTTP). */
const endBody = (input: EndInput): Record<string, unknown> =>
  defined({
    deleted_document_count: input.deletedDocumentCount,
    indexed_document_count: input.indexedDocumentCount,
    indexed_document_volume: input.indexedDocumentVolume,
    total_document_count: input.totalDocumentCount,
    metadata: input.metadata,
    sync_cursor: input.syncCursor,
  });

const instantText = (value: Instant | Date | string | undefined): unknown =>
  value instanceof Instant ? value.toString() : value instanceof Date ? value.toISOString() : value;

/**
 * The sync job operations with typed camelCase input, each the same use case (and the same
 * domain parsing and validation, so the same typed errors) as the HTTP route of that name.
 * Typed input is handed to the domain's request parsers in its wire form, so a rule is never
 * written twice: an empty id, an empty error or a negative counter is the InvalidRequestError
 * the HTTP API answers with 400. Adding an operation: its use case's token in `src/tokens.ts`,
 * one method here.
 */
export class SyncJobs {
  constructor(private readonly resolve: Resolve) {}

  /**
   * Creates a pending job for the connector (`POST _connector/_sync_job`). Throws
   * InvalidRequestError, ConnectorNotFoundError, ConnectorNotSyncableError, ConflictError,
   * StorageUnavailableError.
   */
  create(input: CreateSyncJobInput, options: CreateOptions = {}): Promise<SyncJob> {
    const body = defined({ id: input.connectorId, job_type: input.jobType, trigger_method: input.triggerMethod });
    return this.resolve(TOKENS.CreateSyncJob).execute(body, options);
  }

  /** The job (`GET _connector/_sync_job/<id>`); SyncJobNotFoundError when there is none. */
  get(id: string): Promise<SyncJob> {
    return this.resolve(TOKENS.GetSyncJob).execute(id);
  }

  /** One page of jobs, newest first, and the count of all matches (`GET _connector/_sync_job`). */
  list(input: ListSyncJobsInput = {}): Promise<SyncJobListResult> {
    const text = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));
    return this.resolve(TOKENS.ListSyncJobs).execute({
      connector_id: input.connectorId,
      status: input.status,
      job_type: input.jobTypes?.join(','),
      from: text(input.from),
      size: text(input.size),
    });
  }

  /** Deletes the job, freeing its idempotency key and active-job lock; SyncJobNotFoundError when there is none. */
  delete(id: string): Promise<void> {
    return this.resolve(TOKENS.DeleteSyncJob).execute(id);
  }

  /** Pending or suspended -> canceled, in_progress -> canceling (`_cancel`); else InvalidTransitionError. */
  cancel(id: string): Promise<SyncJob> {
    return this.resolve(TOKENS.CancelSyncJob).execute(id);
  }

  /** Sets `lastSeen` to now, in any status (`_check_in`); `fence` as for {@link error}. */
  checkIn(id: string, fence: FenceOptions = {}): Promise<SyncJob> {
    return this.resolve(TOKENS.CheckInSyncJob).execute(id, fence);
  }

  /** Pending or suspended -> in_progress for this worker (`_claim`); of concurrent claims one wins. */
  async claim(id: string, input: ClaimInput): Promise<SyncJob> {
    const command = parseClaimSyncJobRequest(id, defined({ worker_hostname: input.workerHostname, sync_cursor: input.syncCursor }));
    return this.resolve(TOKENS.ClaimSyncJob).executeCommand(id, command);
  }

  /**
   * Claims the oldest claimable job passing the filters, waiting up to `waitMs` for one
   * (`POST _connector/_sync_job/_claim_next`); null when none came. Needs the storage's SyncJobQueue.
   */
  async claimNext(input: ClaimNextInput): Promise<SyncJob | null> {
    const f = input.filters;
    const filters = f === undefined ? undefined : defined({ connector_ids: f.connectorIds, service_types: f.serviceTypes, job_types: f.jobTypes });
    const command = parseClaimNextRequest(
      defined({ worker_hostname: input.workerHostname, sync_cursor: input.syncCursor, filters, wait_timeout: input.waitMs }),
    );
    return this.resolve(TOKENS.ClaimNextSyncJob).claim(command, input.signal === undefined ? {} : { signal: input.signal });
  }

  /**
   * In_progress or canceling -> error with the message, ended now (`_error`). `fence`: the
   * worker's claim (`ifStartedAt`), a ConflictError when the job was claimed again since.
   */
  async error(id: string, input: ErrorInput, fence: FenceOptions = {}): Promise<SyncJob> {
    const command = parseErrorSyncJobRequest(id, defined({ error: input.error }));
    return this.resolve(TOKENS.ErrorSyncJob).executeCommand(id, command, fence);
  }

  /**
   * In_progress -> completed, or canceling -> canceled (a requested cancelation wins), with the
   * final counters, metadata and cursor (`_complete`, spec section 8); a job already completed
   * or canceled answers `noop`. The connector records the end. `fence` as for {@link error}.
   */
  async complete(id: string, input: EndInput = {}, fence: FenceOptions = {}): Promise<SyncJobUpdate> {
    const command = parseCompleteSyncJobRequest(id, endBody(input));
    return this.resolve(TOKENS.CompleteSyncJob).executeCommand(id, command, fence);
  }

  /**
   * In_progress -> suspended (another worker resumes it with a claim), or canceling -> canceled
   * (`_suspend`, spec section 8); a job already suspended or canceled answers `noop`.
   */
  async suspend(id: string, input: EndInput = {}, fence: FenceOptions = {}): Promise<SyncJobUpdate> {
    const command = parseSuspendSyncJobRequest(id, endBody(input));
    return this.resolve(TOKENS.SuspendSyncJob).executeCommand(id, command, fence);
  }

  /** Sets the counters and `lastSeen`, merges `metadata`, in any status (`_stats`); `fence` as for {@link error}. */
  async updateStats(id: string, input: UpdateStatsInput, fence: FenceOptions = {}): Promise<SyncJob> {
    const command = parseUpdateSyncJobStatsRequest(
      id,
      defined({
        deleted_document_count: input.deletedDocumentCount,
        indexed_document_count: input.indexedDocumentCount,
        indexed_document_volume: input.indexedDocumentVolume,
        total_document_count: input.totalDocumentCount,
        last_seen: instantText(input.lastSeen),
        metadata: input.metadata,
      }),
    );
    return this.resolve(TOKENS.UpdateSyncJobStats).executeCommand(id, command, fence);
  }

  /** Moves idle and orphaned in_progress / canceling jobs to error (the sweeper). Needs the storage's SyncJobQueue. */
  sweep(options: SweepOptions = {}): Promise<SweepResult> {
    return this.resolve(TOKENS.SweepSyncJobs).execute(options);
  }
}

/** The connector operations a host needs next to its jobs (upstream's `_connector/<id>` APIs). */
export class Connectors {
  constructor(private readonly resolve: Resolve) {}

  /** Creates or replaces the connector with this id: `created` or `updated`. */
  upsert(connector: ConnectorRecord): Promise<UpsertResult> {
    return this.resolve(TOKENS.ConnectorStore).upsert(connector);
  }

  /**
   * The connector; ConnectorNotFoundError when there is none or it is soft-deleted (unless
   * `includeDeleted`, as `GET _connector/<id>?include_deleted=true`).
   */
  async get(id: string, options: { includeDeleted?: boolean } = {}): Promise<ConnectorRecord> {
    const connector = await this.resolve(TOKENS.ConnectorStore).findById(id);
    if (!connector || (connector.deleted && options.includeDeleted !== true)) throw new ConnectorNotFoundError(id);
    return connector;
  }

  /** Soft-deletes the connector (or removes it: `hard`), with its jobs when `deleteSyncJobs`. */
  delete(id: string, options: DeleteConnectorOptions = {}): Promise<void> {
    return this.resolve(TOKENS.ConnectorStore).delete(id, options);
  }
}
