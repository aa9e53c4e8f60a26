import { cancelSyncJobCommand, validateSyncJobId } from '../domain/index.js';
import type { SyncJob } from '../domain/index.js';
import type { Clock, SyncJobStore } from '../ports/index.js';
import { updateOrNotFound } from './update-lifecycle.js';

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
    return updateOrNotFound(this.jobs, id, cancelSyncJobCommand(this.clock.now()));
  }
}
