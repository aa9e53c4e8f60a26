import { MAX_LIST_COUNT, decodeSyncJobDocument } from '../../../src/internal.js';
import type { SyncJobListQuery, SyncJobListResult } from '../../../src/index.js';
import type { StoreContext } from '../context.js';
import type { Hit } from '../gateway.js';
import { MAX_RESULT_WINDOW, cutPage, exactListOrder, pageWindow } from '../list-order.js';

/**
 * `POST <jobs>/_search` with a `bool.filter` of `term` `connector.id`, `term` `status`,
 * `terms` `job_type` (or `match_all` without filters), sorted by `created_at` desc,
 * upstream's `listConnectorSyncJobs` (no `track_total_hits`: Elasticsearch counts up to 10,000),
 * `count` = `hits.total` up to `MAX_LIST_COUNT`. A
 * missing jobs index is an empty list, as upstream. A stored document that does not decode is
 * the decoder's typed error (`corrupt_sync_job`), never skipped.
 *
 * The page comes in the port's exact order (`list-order.ts`): searched with one job more on
 * each side and sorted here; only when the millisecond at a page edge continues past that edge
 * (a group of jobs created in one millisecond is cut by the page) two more searches fetch that
 * whole span (`range created_at` between the page's first and last millisecond) and count the
 * matches before it (`range created_at gt`), and the page is cut from the exactly sorted span.
 * A span of more than 10 000 jobs in the page's milliseconds keeps Elasticsearch's order.
 */
export async function listSyncJobs(ctx: StoreContext, query: SyncJobListQuery): Promise<SyncJobListResult> {
  const filter: object[] = [];
  if (query.connectorId !== undefined) filter.push({ term: { 'connector.id': query.connectorId } });
  if (query.status !== undefined) filter.push({ term: { status: query.status } });
  if (query.jobTypes && query.jobTypes.length > 0) filter.push({ terms: { job_type: [...query.jobTypes] } });
  const where = (...more: object[]) =>
    filter.length + more.length > 0 ? { bool: { filter: [...filter, ...more] } } : { match_all: {} };
  const sort = [{ created_at: { order: 'desc', unmapped_type: 'date' } }];
  const what = 'the sync job list';
  const { docs } = ctx;
  const index = ctx.settings.indices.syncJobs;
  const decodeAll = (hits: Hit[]) => hits.map((h) => decodeSyncJobDocument(h.id, h.source));

  const window = pageWindow(query.from, query.size);
  // upstream's search: no track_total_hits, so Elasticsearch counts up to its default, 10,000
  const r = await docs.search(index, { from: window.from, size: window.size, query: where(), sort }, what);
  const count = Math.min(r.total, MAX_LIST_COUNT);
  const cut = cutPage(decodeAll(r.hits), window, query.size);
  if (cut === null) return { count, results: [] };
  const { page, topMs, bottomMs } = cut;
  if (!cut.cut) return { count, results: page.sort(exactListOrder) };

  const span = await docs.search(
    index,
    {
      size: MAX_RESULT_WINDOW,
      query: where({ range: { created_at: { gte: bottomMs, lte: topMs, format: 'epoch_millis' } } }),
      sort,
      track_total_hits: true,
    },
    what,
  );
  if (span.total > span.hits.length) return { count, results: page };
  const above = await docs.search(
    index,
    { size: 0, query: where({ range: { created_at: { gt: topMs, format: 'epoch_millis' } } }), track_total_hits: true },
    what,
  );
  const start = Math.max(0, query.from - above.total); // >= 0 unless writes landed between the searches
  return { count, results: decodeAll(span.hits).sort(exactListOrder).slice(start, start + query.size) };
}
