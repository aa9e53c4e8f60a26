import { StorageUnavailableError, applyPlan, decodeSyncJobDocument, isClaimable, mergeJsonObjects } from '../../../src/internal.js';
import type { ClaimNextFilters, JsonObject, SyncJob, SyncJobPlan, SyncStatus } from '../../../src/internal.js';
import { changedFieldsDocument } from '../changed-fields.js';
import { translateError } from '../errors.js';
import type { DocumentGateway, Hit } from '../gateway.js';

/** Most search-then-CAS rounds of one claim before it answers StorageUnavailableError (contention). */
const MAX_CLAIM_ROUNDS = 20;

/**
 * Claims the oldest claimable job (Elasticsearch has no row locks): a search for the oldest
 * candidates (`status` pending, then suspended; the filters as `terms`; `created_at` ascending;
 * `seq_no_primary_term`), then for each candidate
 * `POST <jobs>/_update/<id>?if_seq_no&if_primary_term&refresh=true` with the fields the claim
 * plan changed; a 409 (another worker got it) moves to the next candidate, and a batch lost entirely
 * searches again. Many workers never get one job twice (compare-and-set), and a worker only
 * moves on when someone else made progress. Null when nothing is claimable.
 */
export async function claimNextSyncJob(
  docs: DocumentGateway,
  index: string,
  batch: number,
  filters: ClaimNextFilters,
  plan: SyncJobPlan,
): Promise<SyncJob | null> {
  for (let round = 1; round <= MAX_CLAIM_ROUNDS; round++) {
    let sawCandidates = false;
    for (const status of ['pending', 'suspended'] as const) {
      const hits = await candidates(docs, index, batch, status, filters);
      for (const hit of hits) {
        const job = decodeSyncJobDocument(hit.id, hit.source);
        if (!isClaimable(job, filters)) continue;
        sawCandidates = true;
        const doc = changedFieldsDocument(job, applyPlan(job, plan).job);
        if (doc === null) continue;
        if (await claimHit(docs, index, hit, doc)) return decodeSyncJobDocument(hit.id, mergeJsonObjects(hit.source, doc));
      }
    }
    // nothing there: none claimable; candidates all lost to other workers: search again
    if (!sawCandidates) return null;
  }
  throw new StorageUnavailableError(`Too much contention claiming the next sync job: ${MAX_CLAIM_ROUNDS} rounds of candidates lost to other workers; retry later.`);
}

/** The oldest `batch` jobs in `status` that match the filters, with their sequence numbers. */
async function candidates(docs: DocumentGateway, index: string, batch: number, status: SyncStatus, filters: ClaimNextFilters): Promise<Hit[]> {
  const filter: object[] = [{ term: { status } }];
  if (filters.connectorIds && filters.connectorIds.length > 0) filter.push({ terms: { 'connector.id': [...filters.connectorIds] } });
  if (filters.serviceTypes && filters.serviceTypes.length > 0) filter.push({ terms: { 'connector.service_type': [...filters.serviceTypes] } });
  if (filters.jobTypes && filters.jobTypes.length > 0) filter.push({ terms: { job_type: [...filters.jobTypes] } });
  const r = await docs.search(
    index,
    { size: batch, seq_no_primary_term: true, query: { bool: { filter } }, sort: [{ created_at: { order: 'asc', unmapped_type: 'date' } }] },
    'the next sync job',
  );
  return r.hits;
}

/** CAS partial update; false when another writer changed or removed the job first. */
async function claimHit(docs: DocumentGateway, index: string, hit: Hit, doc: JsonObject): Promise<boolean> {
  try {
    return (await docs.updateIf(index, hit.id, doc, hit)) === 'updated';
  } catch (error: unknown) {
    throw translateError(error, `claiming sync job [${hit.id}]`);
  }
}
