import { SyncJobNotFoundError, validateSyncJobId } from '../domain/index.js';
import type { Clock, SyncJobStore } from '../ports/index.js';

/** Deletes a job (`DELETE _connector/_sync_job/<id>`), in any status. */
export class DeleteSyncJob {
  constructor(
    private readonly jobs: SyncJobStore,
    private readonly clock?: Clock,
  ) {}

  /**
   * Removes the job, freeing its idempotency key and active-job lock (spec section 4); a running
   * job's connector learns it is gone (spec section 8), stamped with the clock's now.
   * Throws InvalidRequestError (empty id), SyncJobNotFoundError, StorageUnavailableError.
   */
  async execute(id: string): Promise<void> {
    validateSyncJobId(id);
    if (!(await this.jobs.delete(id, this.clock?.now()))) throw new SyncJobNotFoundError(id);
  }
}
