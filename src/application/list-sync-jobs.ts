import { parseListSyncJobsParams } from '../domain/index.js';
import type { SyncJobListResult, SyncJobStore } from '../ports/index.js';

/** Lists jobs (`GET _connector/_sync_job`). */
export class ListSyncJobs {
  constructor(private readonly jobs: SyncJobStore) {}

  /**
   * One page of jobs, newest `createdAt` first, from the raw query parameters (`from`, `size`,
   * `connector_id`, `status`, `job_type`; see `parseListSyncJobsParams`). Throws
   * InvalidRequestError for a bad parameter, StorageUnavailableError.
   */
  async execute(params: Record<string, string | undefined> = {}): Promise<SyncJobListResult> {
    return this.jobs.list(parseListSyncJobsParams(params));
  }
}
