import { SyncJobNotFoundError, fencedPlan } from '../domain/index.js';
import type { Instant, SyncJob, SyncJobPlan, SyncJobUpdate } from '../domain/index.js';
import type { SyncJobStore } from '../ports/index.js';

/** A worker's call on the job it claimed (spec section 8's fence). */
export interface FenceOptions {
  /**
   * The `started_at` its claim set (`if_started_at`): a job claimed again since (another
   * `started_at`) answers ConflictError `started_at_mismatch` and nothing is written.
   */
  ifStartedAt?: Instant;
}

/** Applies one plan atomically through the store, fenced when asked; SyncJobNotFoundError when the job is missing. */
export async function applyOrNotFound(jobs: SyncJobStore, id: string, plan: SyncJobPlan, fence: FenceOptions = {}): Promise<SyncJob> {
  return (await updateOrNotFound(jobs, id, plan, fence)).job;
}

/** {@link applyOrNotFound} with the plan's result (`updated` or `noop`). */
export async function updateOrNotFound(jobs: SyncJobStore, id: string, plan: SyncJobPlan, fence: FenceOptions = {}): Promise<SyncJobUpdate> {
  const update = await jobs.apply(id, fencedPlan(plan, fence.ifStartedAt));
  if (!update) throw new SyncJobNotFoundError(id);
  return update;
}
