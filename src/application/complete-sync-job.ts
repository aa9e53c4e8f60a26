import { parseCompleteSyncJobRequest, completeSyncJobPlan } from '../domain/index.js';
import type { EndSyncJobCommand, SyncJobUpdate } from '../domain/index.js';
import type { Clock, SyncJobStore } from '../ports/index.js';
import { updateOrNotFound } from './apply-or-not-found.js';
import type { FenceOptions } from './apply-or-not-found.js';

/**
 * A worker ends its job completed (`PUT _connector/_sync_job/<id>/_complete`; this project's extension,
 * spec section 8).
 */
export class CompleteSyncJob {
  constructor(
    private readonly jobs: SyncJobStore,
    private readonly clock: Clock,
  ) {}

  /**
   * in_progress -> completed, or canceling -> canceled (a requested cancelation wins), with the
   * body's final counters, metadata and cursor, and the connector's sync info, atomically (see
   * `completeSyncJobPlan`). A job already ended so answers `noop` and writes nothing. `body` is the raw
   * request body (optional), parsed and validated before the lookup; `fence` names the worker's
   * claim. Returns the job and the result. Throws InvalidRequestError, SyncJobNotFoundError,
   * InvalidTransitionError, ConflictError (`started_at_mismatch`), StorageUnavailableError.
   */
  async execute(id: string, body: unknown, fence: FenceOptions = {}): Promise<SyncJobUpdate> {
    return this.executeCommand(id, parseCompleteSyncJobRequest(id, body), fence);
  }

  /** {@link execute} for a body already parsed with `parseCompleteSyncJobRequest(id, body)` (which also checked the id). */
  async executeCommand(id: string, command: EndSyncJobCommand, fence: FenceOptions = {}): Promise<SyncJobUpdate> {
    return updateOrNotFound(this.jobs, id, completeSyncJobPlan(command, this.clock.now()), fence);
  }
}
