import { SyncJobNotFoundError, validateSyncJobId } from '../domain/index.js';
import type { SyncJob } from '../domain/index.js';
import type { SyncJobStore } from '../ports/index.js';

/** Reads one job (`GET _connector/_sync_job/<id>`). */
export class GetSyncJob {
  constructor(private readonly jobs: SyncJobStore) {}

  /** The job; InvalidRequestError for an empty id, SyncJobNotFoundError when there is none. */
  async execute(id: string): Promise<SyncJob> {
    validateSyncJobId(id);
    const job = await this.jobs.get(id);
    if (!job) throw new SyncJobNotFoundError(id);
    return job;
  }
}
