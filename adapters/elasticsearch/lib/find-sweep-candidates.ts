import { SWEEPABLE_SYNC_STATUSES, decodeSyncJobDocument, isIdle } from '../../../src/index.js';
import type { ConnectorLookup, Instant, SweepCandidates } from '../../../src/index.js';
import type { DocumentGateway } from '../gateway.js';
import { MAX_RESULT_WINDOW } from '../list-order.js';

/** Jobs fetched per search of the orphan page-through. */
const ORPHAN_PAGE = 1000;

/**
 * The jobs a sweep should look at, as the Python framework's `orphaned_idle_jobs`: in_progress
 * and canceling jobs by `last_seen` ascending (the idle ones filtered here), and a page-through
 * of the same jobs, `created_at` ascending, whose connectors are looked up (missing or
 * soft-deleted: orphaned), within Elasticsearch's default result window. A job both orphaned
 * and idle is reported as orphaned only.
 */
export async function findSweepCandidates(
  docs: DocumentGateway,
  index: string,
  connectors: ConnectorLookup,
  idleBefore: Instant,
  limit: number,
): Promise<SweepCandidates> {
  const sweepable = { bool: { filter: [{ terms: { status: [...SWEEPABLE_SYNC_STATUSES] } }] } };
  const byLastSeen = await docs.search(
    index,
    { size: limit, query: sweepable, sort: [{ last_seen: { order: 'asc', unmapped_type: 'date' } }] },
    'idle sync jobs',
  );
  const idleJobs = byLastSeen.hits.map((h) => decodeSyncJobDocument(h.id, h.source)).filter((j) => isIdle(j, idleBefore));
  const orphaned: string[] = [];
  const live = new Map<string, boolean>();
  for (let from = 0; from < MAX_RESULT_WINDOW && orphaned.length < limit; from += ORPHAN_PAGE) {
    const { hits } = await docs.search(
      index,
      { from, size: ORPHAN_PAGE, query: sweepable, sort: [{ created_at: { order: 'asc', unmapped_type: 'date' } }] },
      'orphaned sync jobs',
    );
    for (const h of hits) {
      const job = decodeSyncJobDocument(h.id, h.source);
      let ok = live.get(job.connector.id);
      if (ok === undefined) {
        const c = await connectors.findById(job.connector.id);
        ok = c !== null && !c.deleted;
        live.set(job.connector.id, ok);
      }
      if (!ok && orphaned.length < limit) orphaned.push(job.id);
    }
    if (hits.length < ORPHAN_PAGE) break;
  }
  const orphanSet = new Set(orphaned);
  return { orphaned, idle: idleJobs.map((j) => j.id).filter((id) => !orphanSet.has(id)) };
}
