import { errorSyncJobPlan, parseErrorSyncJobRequest } from '../domain/index.js';
import type { SyncJob } from '../domain/index.js';
import type { Clock, SyncJobStore } from '../ports/index.js';
import { applyOrNotFound } from './apply-or-not-found.js';

/** A worker reports a failed sync (`PUT _connector/_sync_job/<id>/_error`; spec section 5). */
export class ErrorSyncJob {
  constructor(
    private readonly jobs: SyncJobStore,
    private readonly clock: Clock,
  ) {}

  /**
   * The checked transition to `error` with the message (see `errorSyncJob`), atomically. `body`
   * is the raw request body, parsed and validated before the lookup. Returns the updated job.
   * Throws InvalidRequestError, SyncJobNotFoundError, InvalidTransitionError, StorageUnavailableError.
   */
  async execute(id: string, body: unknown): Promise<SyncJob> {
    const command = parseErrorSyncJobRequest(id, body);
    return applyOrNotFound(this.jobs, id, errorSyncJobPlan(command, this.clock.now()));
  }
}
