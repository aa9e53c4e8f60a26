import { ConflictError, cloneSyncJob, encodeSyncJobDocument, jobClassOf } from '../../../src/internal.js';
import type { InsertOptions, InsertResult, SyncJob } from '../../../src/internal.js';
import { releaseHeld } from '../claims-and-locks.js';
import type { StoreContext } from '../context.js';
import { isAmbiguous, translateError } from '../errors.js';
import type { Held } from '../gateway.js';
import { holdsExactly, readBack } from '../read-back.js';
import { takeActiveJobLock } from './active-job-lock.js';
import { findActiveJob } from './find-active-job.js';
import { claimIdempotencyKey } from './idempotency-claim.js';

/**
 * Stores a new job, never overwriting one: the idempotency claim first (a replay answers the
 * earlier job, `created: false`), then the active-job lock and the search for active jobs
 * written without it, then the job's `_create`. Elasticsearch has no transaction: if anything
 * fails after a claim or lock was written, this insert removes what it wrote (compare-and-set,
 * never someone else's) and the typed error propagates.
 */
export async function insertSyncJob(ctx: StoreContext, job: SyncJob, options: InsertOptions = {}): Promise<InsertResult> {
  const held: Held[] = [];
  try {
    if (options.idempotency) {
      const claim = await claimIdempotencyKey(ctx, job, options.idempotency);
      if ('replay' in claim) return { job: claim.replay, created: false };
      held.push(claim.held);
    }
    if (options.oneActivePerClass) {
      held.push(await takeActiveJobLock(ctx, job));
      // Jobs written without the lock (policy off, or Elasticsearch's own API) are found by search.
      const other = await findActiveJob(ctx, job);
      if (other) throw ConflictError.activeJobExists(job.connector.id, jobClassOf(job.jobType), other);
    }
    await createJobDocument(ctx, job);
    return { job: cloneSyncJob(job), created: true };
  } catch (error: unknown) {
    const typed = translateError(error, `sync job [${job.id}]`);
    await releaseHeld(ctx.docs, held, typed);
    throw typed;
  }
}

/**
 * `PUT <jobs>/_create/<id>?refresh=true` with the codec's document: searchable as soon as it
 * resolves, and never an overwrite (409 -> ConflictError.duplicateId). Sent without transport
 * retries, so on an ambiguous failure (no answer) the job is read back: exactly this document
 * counts as written, anything else leaves the original error standing.
 */
async function createJobDocument(ctx: StoreContext, job: SyncJob): Promise<void> {
  const index = ctx.settings.indices.syncJobs;
  const document = encodeSyncJobDocument(job);
  let written: Held | null;
  try {
    written = await ctx.docs.create(index, job.id, document, true);
  } catch (error: unknown) {
    if (isAmbiguous(error)) {
      const landed = await readBack(ctx.docs, index, job.id, `sync job [${job.id}]`, error);
      if (landed && holdsExactly(landed, document)) return;
    }
    throw error;
  }
  if (!written) throw ConflictError.duplicateId(job.id);
}
