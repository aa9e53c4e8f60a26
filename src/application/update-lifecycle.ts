import { SyncJobNotFoundError } from '../domain/index.js';
import type { SyncJob } from '../domain/index.js';
import type { SyncJobDecision, SyncJobStore } from '../ports/index.js';

/** Applies one decision atomically through the store; SyncJobNotFoundError when the job is missing. */
export async function updateOrNotFound(jobs: SyncJobStore, id: string, decide: SyncJobDecision): Promise<SyncJob> {
  const job = await jobs.update(id, decide);
  if (!job) throw new SyncJobNotFoundError(id);
  return job;
}
