import { SyncJobNotFoundError } from '../domain/index.js';
import type { SyncJob, SyncJobPlan } from '../domain/index.js';
import type { SyncJobStore } from '../ports/index.js';

/** Applies one plan atomically through the store; SyncJobNotFoundError when the job is missing. */
export async function applyOrNotFound(jobs: SyncJobStore, id: string, plan: SyncJobPlan): Promise<SyncJob> {
  const update = await jobs.apply(id, plan);
  if (!update) throw new SyncJobNotFoundError(id);
  return update.job;
}
