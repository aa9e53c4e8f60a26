import { ConflictError, StorageUnavailableError } from '../../../src/index.js';
import type { IdempotencyClaim, JsonObject, SyncJob } from '../../../src/index.js';
import { idempotencyDocId, isStale } from '../claims-and-locks.js';
import type { StoreContext } from '../context.js';
import type { Held } from '../gateway.js';
import { getSyncJob } from './get-sync-job.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Claims the idempotency key for `job` before the job is written: `PUT <idempotency>/_create/
 * <sha256(key)>?refresh=true` with `{key, fingerprint, job_id, created_at}`. `_create` on one
 * `_id` is atomic, so exactly one request wins a key; the winner gets the claim it holds (to
 * remove if the insert fails). A loser reads the claim:
 * - its job is missing and the claim was released by `delete` or is stale: taken over by
 *   compare-and-set, whatever request it was bound to;
 * - another fingerprint (or a hash collision of keys): ConflictError.idempotencyMismatch;
 * - same fingerprint and the job exists: `{replay}`, that job;
 * - same fingerprint, job not written yet: waits for the winner (`claimWaitMs`), then a
 *   retryable StorageUnavailableError.
 */
export async function claimIdempotencyKey(
  ctx: StoreContext,
  job: SyncJob,
  claim: IdempotencyClaim,
): Promise<{ held: Held } | { replay: SyncJob }> {
  const { docs, settings } = ctx;
  const index = settings.indices.idempotency;
  const id = idempotencyDocId(claim.key);
  const what = `idempotency key [${claim.key}]`;
  // Waiting is measured on the monotonic clock; claim ages on the (injectable) wall clock.
  const deadline = performance.now() + settings.claimWaitMs;
  let pause = 5;
  for (;;) {
    const document: JsonObject = {
      key: claim.key,
      fingerprint: claim.fingerprint,
      job_id: job.id,
      created_at: new Date(settings.now()).toISOString(),
    };
    // With refresh: `delete` finds the claims naming a job by search.
    const created = await docs.create(index, id, document, true);
    if (created) return { held: created };
    const earlier = await docs.get(index, id, what);
    if (earlier) {
      const jobId = typeof earlier.source.job_id === 'string' ? earlier.source.job_id : '';
      const earlierJob = jobId === '' ? null : await getSyncJob(ctx, jobId);
      if (!earlierJob && (earlier.source.released_at !== undefined || isStale(earlier.source, settings))) {
        // Its job was deleted (released), or its writer never wrote the job (stale): take the
        // claim over (compare-and-set), whatever request it was bound to.
        const taken = await docs.replaceIf(index, id, document, earlier, what, true);
        if (taken) return { held: taken };
        continue;
      }
      if (earlier.source.key !== claim.key || earlier.source.fingerprint !== claim.fingerprint) {
        throw ConflictError.idempotencyMismatch(claim.key);
      }
      if (earlierJob) return { replay: earlierJob };
    }
    // Another request with this key is between its claim and its job write: wait for it.
    if (performance.now() >= deadline) {
      throw new StorageUnavailableError(
        `An earlier request with idempotency key [${claim.key}] is still in progress; retry later.`,
      );
    }
    await sleep(pause);
    pause = Math.min(pause * 2, 200);
  }
}
