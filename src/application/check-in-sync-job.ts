import { checkInSyncJobPlan, validateSyncJobId } from '../domain/index.js';
import type { SyncJob } from '../domain/index.js';
import type { Clock, SyncJobStore } from '../ports/index.js';
import { applyOrNotFound } from './apply-or-not-found.js';
import type { FenceOptions } from './apply-or-not-found.js';

/** A worker's heartbeat (`PUT _connector/_sync_job/<id>/_check_in`; spec section 5). */
export class CheckInSyncJob {
  constructor(
    private readonly jobs: SyncJobStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Sets `last_seen` to now, in any status (as upstream). Returns the updated job. Throws
   * InvalidRequestError (empty id), SyncJobNotFoundError, StorageUnavailableError.
   */
  async execute(id: string, fence: FenceOptions = {}): Promise<SyncJob> {
    validateSyncJobId(id);
    return applyOrNotFound(this.jobs, id, checkInSyncJobPlan(this.clock.now()), fence);
  }
}
