import { ACTIVE_SYNC_STATUSES, ConflictError, StorageUnavailableError, jobClassOf } from '../../../src/index.js';
import type { JsonObject, SyncJob } from '../../../src/index.js';
import { activeLockDocId, isStale } from '../claims-and-locks.js';
import type { StoreContext } from '../context.js';
import type { Held } from '../gateway.js';
import { getSyncJob } from './get-sync-job.js';

/** Lost compare-and-set rounds on one lock before a retryable StorageUnavailableError. */
const LOCK_ATTEMPTS = 10;

/**
 * Takes the one-active-job lock of the job's connector and class before the job is written:
 * `PUT <locks>/_create/<sha256(connector id, class)>?refresh=true` with `{connector_id,
 * job_class, job_id, created_at}`. The lock is lazy: it counts only while the job it names is
 * pending, in_progress, canceling or suspended (read here), so no later update has to release
 * it. An existing lock whose job is active, or not written yet and not stale (in flight), is
 * ConflictError.activeJobExists; one whose job is terminal or abandoned is taken over by
 * compare-and-set. Returns the lock this insert holds (to remove if the insert fails).
 */
export async function takeActiveJobLock(ctx: StoreContext, job: SyncJob): Promise<Held> {
  const { docs, settings } = ctx;
  const index = settings.indices.activeJobLocks;
  const connectorId = job.connector.id;
  const jobClass = jobClassOf(job.jobType);
  const id = activeLockDocId(connectorId, jobClass);
  const what = `active job lock of connector [${connectorId}]`;
  for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
    const document: JsonObject = {
      connector_id: connectorId,
      job_class: jobClass,
      job_id: job.id,
      created_at: new Date(settings.now()).toISOString(),
    };
    // With refresh: `delete` finds the locks naming a job by search.
    const created = await docs.create(index, id, document, true);
    if (created) return created;
    const lock = await docs.get(index, id, what);
    if (!lock) continue; // released meanwhile: try again
    const holderId = typeof lock.source.job_id === 'string' ? lock.source.job_id : '';
    const holder = holderId === '' ? null : await getSyncJob(ctx, holderId);
    if (holder && ACTIVE_SYNC_STATUSES.includes(holder.status)) {
      throw ConflictError.activeJobExists(connectorId, jobClass, holder.id);
    }
    if (!holder && !isStale(lock.source, settings)) {
      // Its job is being written right now: it is the active one.
      throw ConflictError.activeJobExists(connectorId, jobClass, holderId);
    }
    // The holder finished (terminal status) or was abandoned: take the lock over (compare-and-set).
    const taken = await docs.replaceIf(index, id, document, lock, what, true);
    if (taken) return taken;
  }
  throw new StorageUnavailableError(`Too much contention on the ${what}; retry later.`);
}
