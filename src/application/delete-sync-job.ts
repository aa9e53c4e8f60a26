import { SyncJobNotFoundError, validateSyncJobId } from '../domain/index.js';
import type { SyncJobStore } from '../ports/index.js';

/** Deletes a job (`DELETE _connector/_sync_job/<id>`), in any status. */
export class DeleteSyncJob {
  constructor(private readonly jobs: SyncJobStore) {}

  /**
   * Removes the job, freeing its idempotency key and active-job lock (spec section 4).
   * Throws InvalidRequestError (empty id), SyncJobNotFoundError, StorageUnavailableError.
   */
  async execute(id: string): Promise<void> {
    validateSyncJobId(id);
    if (!(await this.jobs.delete(id))) throw new SyncJobNotFoundError(id);
  }
}
