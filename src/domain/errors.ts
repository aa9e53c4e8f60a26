/** Stable codes of the library's expected failures. */
export type SyncJobErrorCode =
  | 'invalid_request'
  | 'connector_not_found'
  | 'connector_not_syncable'
  | 'sync_job_not_found'
  | 'conflict'
  | 'invalid_transition'
  | 'storage_unavailable'
  | 'storage_failure'
  | 'corrupt_sync_job';

/** Base of every expected failure: a stable `code`, upstream's reason as `message`. */
export abstract class SyncJobError extends Error {
  /** Stable, machine-readable code. */
  abstract readonly code: SyncJobErrorCode;
  /** True when the same call may succeed if retried later. */
  readonly retryable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * What was wrong with a request, mirroring where upstream's parser fails:
 * - `missing_body`: no body at all;
 * - `not_an_object`: the body is JSON but not an object;
 * - `unknown_field`: a field the strict parser does not know;
 * - `wrong_type`: a known field holding a value of the wrong JSON type;
 * - `missing_field`: a required field is absent;
 * - `illegal_value`: a value the field cannot take (unknown enum name);
 * - `failed_to_build`: the parser's wrapper around `illegal_value`;
 * - `failed_to_parse_field`: the parser's wrapper around a field that failed;
 * - `validation`: the parsed request failed validation (empty id).
 */
export type InvalidRequestKind =
  | 'missing_body'
  | 'not_an_object'
  | 'unknown_field'
  | 'wrong_type'
  | 'missing_field'
  | 'illegal_value'
  | 'failed_to_build'
  | 'failed_to_parse_field'
  | 'validation';

/** The request is not one the API accepts (HTTP 400). The wrapped reason, if any, is `cause`. */
export class InvalidRequestError extends SyncJobError {
  readonly code = 'invalid_request' as const;
  constructor(
    /** Where upstream's parser or validation failed. */
    readonly kind: InvalidRequestKind,
    message: string,
    /** The top-level field concerned, when there is one. */
    readonly field?: string,
    cause?: InvalidRequestError,
  ) {
    super(message, cause ? { cause } : undefined);
  }
}

/** The connector does not exist, or is soft-deleted (HTTP 404). */
export class ConnectorNotFoundError extends SyncJobError {
  readonly code = 'connector_not_found' as const;
  constructor(readonly connectorId: string) {
    super(`Connector with id '${connectorId}' does not exist.`);
  }
}

/** Why a connector cannot be synced. */
export type NotSyncableReason = 'no_index' | 'no_service_type';

/** The connector exists but cannot start a sync (HTTP 400, upstream's status_exception). */
export class ConnectorNotSyncableError extends SyncJobError {
  readonly code = 'connector_not_syncable' as const;
  constructor(
    readonly connectorId: string,
    readonly reason: NotSyncableReason,
  ) {
    super(
      reason === 'no_index'
        ? `Cannot start a sync for connector [${connectorId}] with no index attached. Set the [index_name] property for the connector to enable syncing data.`
        : `Cannot start a sync for connector [${connectorId}] with [service_type] not defined. Set the service type of your connector before starting the sync.`,
    );
  }
}

/** No sync job has this id (HTTP 404). */
export class SyncJobNotFoundError extends SyncJobError {
  readonly code = 'sync_job_not_found' as const;
  constructor(readonly syncJobId: string) {
    super(`connector sync job [${syncJobId}] not found`);
  }
}

/**
 * The job's status cannot move to the one a lifecycle call asks for (spec section 5, upstream's
 * `ConnectorSyncJobInvalidStatusTransitionException`, answered as a 400 `status_exception`).
 */
export class InvalidTransitionError extends SyncJobError {
  readonly code = 'invalid_transition' as const;
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(
      `Invalid transition attempt from [${from}] to [${to}]. Such a ConnectorSyncStatus transition is not supported by the Connector Protocol.`,
    );
  }
}

/**
 * What a conflict is about:
 * - `duplicate_id`: a job with this id already exists (creates never overwrite);
 * - `idempotency_mismatch`: the idempotency key was used for a different request;
 * - `active_job_exists`: the one-active-job policy refused the create;
 * - `duplicate_connector`: a connector with this id already exists;
 * - `started_at_mismatch`: a fenced call (`if_started_at`) for a claim the job no longer has.
 */
export type ConflictKind = 'duplicate_id' | 'idempotency_mismatch' | 'active_job_exists' | 'duplicate_connector' | 'started_at_mismatch';

/** The write conflicts with what is stored (HTTP 409). */
export class ConflictError extends SyncJobError {
  readonly code = 'conflict' as const;
  constructor(
    readonly kind: ConflictKind,
    message: string,
    /** For `active_job_exists`: the job that is still active. */
    readonly activeJobId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The job id is taken. */
  static duplicateId(id: string, cause?: unknown): ConflictError {
    return new ConflictError('duplicate_id', `[${id}]: version conflict, document already exists`, undefined, { cause });
  }

  /** The idempotency key was already used with another request. */
  static idempotencyMismatch(key: string): ConflictError {
    return new ConflictError(
      'idempotency_mismatch',
      `Idempotency key [${key}] was already used with a different request.`,
    );
  }

  /**
   * A worker named the claim it acts for (`if_started_at`) and the job has another `started_at`:
   * it was claimed again since (or never), so the call writes nothing.
   */
  static startedAtMismatch(id: string, required: string, current: string | null): ConflictError {
    return new ConflictError(
      'started_at_mismatch',
      `[${id}]: version conflict, required started_at [${required}], current started_at [${current ?? 'none'}]`,
    );
  }

  /** An active job of the same class blocks the create. */
  static activeJobExists(connectorId: string, jobClass: string, activeJobId: string): ConflictError {
    return new ConflictError(
      'active_job_exists',
      `Connector [${connectorId}] already has an active ${jobClass === 'access_control' ? 'access control' : 'content'} sync job [${activeJobId}].`,
      activeJobId,
    );
  }
}

/** The storage could not be reached or did not answer in time (HTTP 503); safe to retry. */
export class StorageUnavailableError extends SyncJobError {
  readonly code = 'storage_unavailable' as const;
  override readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A stored job that does not decode to a valid job: an unknown status, job type or trigger
 * method, a negative or non-integer counter, a missing or unreadable date. Names the job and
 * the field. Not retryable: the stored data must be repaired. Stores throw it instead of
 * handing out a job with a bogus value.
 */
export class CorruptSyncJobError extends SyncJobError {
  readonly code = 'corrupt_sync_job' as const;
  constructor(
    readonly syncJobId: string,
    /** The stored (snake_case) field at fault. */
    readonly field: string,
    detail: string,
  ) {
    super(`stored connector sync job [${syncJobId}] is corrupt: [${field}] ${detail}`);
  }
}

/**
 * The storage answered with a failure that retrying cannot fix: a missing table, a permission
 * error, bad credentials, a storage bug (HTTP 500, not retryable). The message names what failed
 * and a stable driver code (a SQLSTATE, an HTTP status) but never addresses or credentials; the
 * driver error is `cause`, for logs.
 */
export class StorageFailureError extends SyncJobError {
  readonly code = 'storage_failure' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A value the storage cannot hold (for example `\u0000` in a Postgres jsonb value) (HTTP 400). */
export class UnstorableValueError extends InvalidRequestError {
  constructor(message: string, field?: string) {
    super('validation', message, field);
  }
}

/** True for any of the library's expected failures. */
export function isSyncJobError(error: unknown): error is SyncJobError {
  return error instanceof SyncJobError;
}
