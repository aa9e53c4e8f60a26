import { applyPlan, cloneJson, decodeSyncJobDocument, isJsonObject, mergeJsonObjects, syncInfoAfter, syncInfoOnRepeat } from '../../../src/internal.js';
import type { SyncJobPlan, SyncJobUpdate } from '../../../src/internal.js';
import { changedFieldsDocument } from '../changed-fields.js';
import { casBackOff, casContention } from '../compare-and-set.js';
import type { StoreContext } from '../context.js';
import { isAmbiguous, translateError } from '../errors.js';
import { holdsExactly, readBack } from '../read-back.js';
import { writeConnectorSyncInfo } from './write-connector-sync-info.js';


/**
 * Optimistic concurrency (spec section 4): GET the job with its `_seq_no`/`_primary_term`
 * (realtime), apply the plan to it (`applyPlan`), and send only what changed as a partial
 * `POST <jobs>/_update/<id>?if_seq_no=..&if_primary_term=..&refresh=true` with
 * `{doc: {<snake_case fields>}}` (a cursor change as `{connector: {sync_cursor}}`). A 409 means
 * another writer got in between: re-read, re-apply, after a short random pause, at most
 * `updateAttempts` times, then a retryable StorageUnavailableError. Returns the job as stored
 * after the write (the read `_source` merged with the sent `doc` as Elasticsearch merges it),
 * with the plan's result, or null when the job or the jobs index is missing. A plan that changes
 * nothing writes nothing. A refusal, or what the decoder throws, propagates. When the write gets no answer
 * (timeout, connection error) the job is read back: if it holds exactly what this update would
 * have produced under a new `_seq_no`, the update counts as done, else the retryable error stands.
 */
export async function applySyncJobPlan(ctx: StoreContext, id: string, plan: SyncJobPlan): Promise<SyncJobUpdate | null> {
  const update = await applyToJob(ctx, id, plan);
  if (update) {
    // the connector's sync info after the job's write (spec section 8); an end found already
    // done (`noop`) writes it again, so a retry repairs a crash between the two writes
    const repeat = update.result === 'noop';
    const info = repeat ? syncInfoOnRepeat(plan, update.job) : syncInfoAfter(plan, update.job);
    if (info) await writeConnectorSyncInfo(ctx, update.job.connector.id, info, { repeat });
  }
  return update;
}

async function applyToJob(ctx: StoreContext, id: string, plan: SyncJobPlan): Promise<SyncJobUpdate | null> {
  const { docs, settings } = ctx;
  const index = settings.indices.syncJobs;
  const what = `sync job [${id}]`;
  for (let attempt = 1; ; attempt++) {
    const seen = await docs.get(index, id, what);
    if (!seen) return null;
    const current = decodeSyncJobDocument(id, seen.source);
    const { job: next, result } = applyPlan(current, plan);
    const doc = changedFieldsDocument(current, next);
    if (doc === null) return { job: decodeSyncJobDocument(id, seen.source), result };
    const expected = mergeJsonObjects(seen.source, doc);
    let outcome: 'updated' | 'conflict' | 'missing';
    const replaced = plan.replace?.syncCursor;
    if (replaced !== undefined) {
      // `_update` merges objects: a cursor that replaces the stored one is written with the
      // whole document instead, under the same sequence-number check
      const connector = isJsonObject(expected.connector) ? expected.connector : {};
      expected.connector = { ...connector, sync_cursor: cloneJson(replaced) };
      const held = await docs.replaceIf(index, id, expected, seen, what, true);
      if (held) return { job: decodeSyncJobDocument(id, expected), result };
      if (attempt >= settings.updateAttempts) throw casContention(what, attempt);
      await casBackOff(attempt);
      continue;
    }
    try {
      outcome = await docs.updateIf(index, id, doc, seen);
    } catch (error: unknown) {
      const typed = translateError(error, what);
      if (!isAmbiguous(error)) throw typed;
      const landed = await readBack(docs, index, id, what, typed);
      if (landed && landed.seqNo !== seen.seqNo && holdsExactly(landed, expected)) {
        return { job: decodeSyncJobDocument(id, landed.source), result };
      }
      throw typed;
    }
    if (outcome === 'updated') return { job: decodeSyncJobDocument(id, expected), result };
    if (outcome === 'missing') return null;
    if (attempt >= settings.updateAttempts) throw casContention(what, attempt);
    await casBackOff(attempt);
  }
}
