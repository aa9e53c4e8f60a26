import { Instant, JOB_TYPES, isRunning, syncGoneInfo } from '../../../src/internal.js';
import { casContention } from '../compare-and-set.js';
import type { JobType, JsonObject, SyncStatus } from '../../../src/index.js';
import { writeConnectorSyncInfo } from './write-connector-sync-info.js';
import type { StoreContext } from '../context.js';
import type { Hit } from '../gateway.js';

/**
 * Removes the job and frees what it held (spec section 4), without decoding it (a damaged
 * document can still be deleted):
 * 1. GET the job; missing (or no index) -> false, nothing else is touched.
 * 2. Active-job locks naming it (search on `job_id`) are deleted with `if_seq_no` (a lock
 *    taken over meanwhile is left alone). Until the job itself is gone, the search that
 *    follows every lock still sees it as active, so the policy holds in between.
 * 3. Idempotency claims naming it (search on `job_id`) are marked `released_at` with
 *    `if_seq_no`: a released claim whose job is missing is free at once (the key's next use
 *    takes it over by compare-and-set; `findIdempotencyKey` no longer reports it). While the
 *    job still exists a released claim replays it as before.
 * 4. `DELETE <jobs>/_doc/<id>?if_seq_no&if_primary_term&refresh=true` (a 409: read again, delete again).
 * 5. A running job's connector gets `syncGoneInfo` (spec section 8), a write of its own after
 *    the delete.
 * Returns true when this call deleted the job. Failures are StorageUnavailableError
 * (retryable); a failure before step 4 leaves the job in place and the policy intact, so the
 * delete can simply be retried (ARCHITECTURE.md).
 */
export async function deleteSyncJob(ctx: StoreContext, id: string, now?: Instant): Promise<boolean> {
  const { docs, settings } = ctx;
  const i = settings.indices;
  const what = `sync job [${id}]`;
  const seen = await docs.get(i.syncJobs, id, what);
  if (!seen) return false;
  for (const lock of await heldBy(ctx, i.activeJobLocks, id)) await docs.release({ index: i.activeJobLocks, ...lock });
  for (const claim of await heldBy(ctx, i.idempotency, id)) {
    const document: JsonObject = { ...claim.source, released_at: new Date(settings.now()).toISOString() };
    // null: changed meanwhile (another delete marked it first); nothing else rewrites a claim whose job exists.
    await docs.replaceIf(i.idempotency, claim.id, document, claim, `idempotency claim [${claim.id}]`);
  }
  // the job as deleted: a write between the GET and the DELETE (a claim, an end) makes the
  // delete a 409 and the job is read again, so the connector's write below sees its last status
  let deleted = seen;
  for (let attempt = 1; ; attempt++) {
    const outcome = await docs.removeIf(i.syncJobs, id, deleted, what);
    if (outcome === 'deleted') break;
    const again = outcome === 'missing' ? null : await docs.get(i.syncJobs, id, what);
    if (!again) return false;
    if (attempt >= settings.updateAttempts) {
      throw casContention(what, attempt);
    }
    deleted = again;
  }
  const { status, job_type: jobType, connector } = deleted.source as { status?: unknown; job_type?: unknown; connector?: { id?: unknown } };
  if (isRunning({ status: status as SyncStatus }) && JOB_TYPES.includes(jobType as JobType) && typeof connector?.id === 'string') {
    await writeConnectorSyncInfo(ctx, connector.id, syncGoneInfo({ jobType: jobType as JobType }, now ?? Instant.ofEpochMillis(settings.now())));
  }
  return true;
}

/** Claim or lock documents naming the job (they are written with refresh, so search sees them). */
async function heldBy(ctx: StoreContext, index: string, jobId: string): Promise<Hit[]> {
  const r = await ctx.docs.search(
    index,
    { size: 100, query: { bool: { filter: [{ term: { job_id: jobId } }] } }, seq_no_primary_term: true },
    `documents of [${index}] naming sync job [${jobId}]`,
  );
  return r.hits;
}
