import { InvalidRequestError, SyncJobNotFoundError } from '../domain/index.js';
import type { SyncJob } from '../domain/index.js';
import type { SyncJobStore } from '../ports/index.js';

/** Reads one job (`GET _connector/_sync_job/<id>`). */
export class GetSyncJob {
  constructor(private readonly jobs: SyncJobStore) {}

  /** The job; InvalidRequestError for an empty id, SyncJobNotFoundError when there is none. */
  async execute(id: string): Promise<SyncJob> {
    if (id === '') {
      throw new InvalidRequestError(
        'validation',
        'Validation Failed: 1: [connector_sync_job_id] of the connector sync job cannot be null or empty.;',
        'connector_sync_job_id',
      );
    }
    const job = await this.jobs.get(id);
    if (!job) throw new SyncJobNotFoundError(id);
    return job;
  }
}
