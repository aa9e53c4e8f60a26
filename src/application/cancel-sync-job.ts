import { cancelSyncJobPlan, validateSyncJobId } from '../domain/index.js';
import type { SyncJob } from '../domain/index.js';
import type { Clock, SyncJobStore } from '../ports/index.js';
import { applyOrNotFound } from './apply-or-not-found.js';

/** Cancels a job (`PUT _connector/_sync_job/<id>/_cancel`; spec section 5). */
export class CancelSyncJob {
  constructor(
    private readonly jobs: SyncJobStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Pending or suspended -> `canceled`; otherwise -> `canceling` (see `cancelSyncJob`), atomically.
   * Returns the updated job. Throws InvalidRequestError (empty id), SyncJobNotFoundError,
   * InvalidTransitionError, StorageUnavailableError.
   */
  async execute(id: string): Promise<SyncJob> {
    validateSyncJobId(id);
    return applyOrNotFound(this.jobs, id, cancelSyncJobPlan(this.clock.now()));
  }
}
