import { errorSyncJobPlan, parseErrorSyncJobRequest } from '../domain/index.js';
import type { ErrorSyncJobCommand, SyncJob } from '../domain/index.js';
import type { Clock, SyncJobStore } from '../ports/index.js';
import { applyOrNotFound } from './apply-or-not-found.js';
import type { FenceOptions } from './apply-or-not-found.js';

/** A worker reports a failed sync (`PUT _connector/_sync_job/<id>/_error`; spec section 5). */
export class ErrorSyncJob {
  constructor(
    private readonly jobs: SyncJobStore,
    private readonly clock: Clock,
  ) {}

  /**
   * The checked transition to `error` with the message, `completed_at` = `last_seen` = now (see
   * `errorSyncJobPlan`), and the connector's sync info, atomically. `body` is the raw request
   * body, parsed and validated before the lookup; `fence` names the worker's claim. Returns the
   * updated job. Throws InvalidRequestError, SyncJobNotFoundError, InvalidTransitionError,
   * ConflictError (`started_at_mismatch`), StorageUnavailableError.
   */
  async execute(id: string, body: unknown, fence: FenceOptions = {}): Promise<SyncJob> {
    return this.executeCommand(id, parseErrorSyncJobRequest(id, body), fence);
  }

  /**
   * {@link execute} for a body already parsed with `parseErrorSyncJobRequest(id, body)` (which also
   * checked the id): the HTTP adapter parses once, before its own checks. Throws the errors of
   * `execute` except the body's InvalidRequestError.
   */
  async executeCommand(id: string, command: ErrorSyncJobCommand, fence: FenceOptions = {}): Promise<SyncJob> {
    return applyOrNotFound(this.jobs, id, errorSyncJobPlan(command, this.clock.now()), fence);
  }
}
