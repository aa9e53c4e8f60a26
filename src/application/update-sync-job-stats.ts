import { parseUpdateSyncJobStatsRequest, updateSyncJobStatsPlan } from '../domain/index.js';
import type { SyncJob } from '../domain/index.js';
import type { Clock, SyncJobStore } from '../ports/index.js';
import { applyOrNotFound } from './apply-or-not-found.js';

/** A worker reports ingestion progress (`PUT _connector/_sync_job/<id>/_stats`; spec section 5). */
export class UpdateSyncJobStats {
  constructor(
    private readonly jobs: SyncJobStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Sets the counters, `last_seen` (given or now) and merges `metadata` (see
   * `updateSyncJobStats`), in any status, atomically: a racing check-in or stats call loses
   * nothing. `body` is the raw request body, parsed and validated before the lookup. Returns the
   * updated job. Throws InvalidRequestError, SyncJobNotFoundError, StorageUnavailableError.
   */
  async execute(id: string, body: unknown): Promise<SyncJob> {
    const command = parseUpdateSyncJobStatsRequest(id, body);
    return applyOrNotFound(this.jobs, id, updateSyncJobStatsPlan(command, this.clock.now()));
  }
}
