import { claimSyncJobPlan, parseClaimSyncJobRequest } from '../domain/index.js';
import type { ClaimSyncJobCommand, SyncJob } from '../domain/index.js';
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
    return this.executeCommand(id, parseClaimSyncJobRequest(id, body));
  }

  /**
   * {@link execute} for a body already parsed with `parseClaimSyncJobRequest(id, body)` (which also
   * checked the id): the HTTP adapter parses once, before its own checks. Throws the errors of
   * `execute` except the body's InvalidRequestError.
   */
  async executeCommand(id: string, command: ClaimSyncJobCommand): Promise<SyncJob> {
    return applyOrNotFound(this.jobs, id, claimSyncJobPlan(command, this.clock.now()));
  }
}
