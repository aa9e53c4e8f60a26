import { claimSyncJobPlan, parseClaimSyncJobRequest } from '../domain/index.js';
import type { SyncJob } from '../domain/index.js';
import type { Clock, SyncJobStore } from '../ports/index.js';
import { applyOrNotFound } from './apply-or-not-found.js';

/** A worker claims a job (`PUT _connector/_sync_job/<id>/_claim`; spec sections 4 and 5). */
export class ClaimSyncJob {
  constructor(
    private readonly jobs: SyncJobStore,
    private readonly clock: Clock,
  ) {}

  /**
   * The checked transition to `in_progress` with `worker_hostname`, `started_at` = `last_seen`
   * = now and the sync cursor (see `claimSyncJob`), atomically: of concurrent claims exactly one
   * wins. `body` is the raw request body, parsed and validated before the lookup. Returns the
   * updated job. Throws InvalidRequestError, SyncJobNotFoundError, InvalidTransitionError,
   * StorageUnavailableError.
   */
  async execute(id: string, body: unknown): Promise<SyncJob> {
    const command = parseClaimSyncJobRequest(id, body);
    return applyOrNotFound(this.jobs, id, claimSyncJobPlan(command, this.clock.now()));
  }
}
