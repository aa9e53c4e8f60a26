import { SyncJobNotFoundError } from '../domain/index.js';
import type { SyncJob, SyncJobCommand } from '../domain/index.js';
import type { SyncJobStore } from '../ports/index.js';

/**
 * Applies one command atomically through the store (its one-statement `applyCommand` when it has
 * one, else `update` with the command's decision); SyncJobNotFoundError when the job is missing.
 */
export async function updateOrNotFound(jobs: SyncJobStore, id: string, command: SyncJobCommand): Promise<SyncJob> {
  const job = jobs.applyCommand ? await jobs.applyCommand(id, command) : await jobs.update(id, command.decide);
  if (!job) throw new SyncJobNotFoundError(id);
  return job;
}
