import { parseUpdateSyncJobStatsRequest, updateSyncJobStatsPlan } from '../domain/index.js';
import type { UpdateSyncJobStatsCommand, SyncJob } from '../domain/index.js';
import type { Clock, SyncJobStore } from '../ports/index.js';
import { applyOrNotFound } from './apply-or-not-found.js';
import type { FenceOptions } from './apply-or-not-found.js';

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
  async execute(id: string, body: unknown, fence: FenceOptions = {}): Promise<SyncJob> {
    return this.executeCommand(id, parseUpdateSyncJobStatsRequest(id, body), fence);
  }

  /**
   * {@link execute} for a body already parsed with `parseUpdateSyncJobStatsRequest(id, body)` (which also
   * checked the id): the HTTP adapter parses once, before its own checks. Throws the errors of
   * `execute` except the body's InvalidRequestError.
   */
  async executeCommand(id: string, command: UpdateSyncJobStatsCommand, fence: FenceOptions = {}): Promise<SyncJob> {
    return applyOrNotFound(this.jobs, id, updateSyncJobStatsPlan(command, this.clock.now()), fence);
  }
}
