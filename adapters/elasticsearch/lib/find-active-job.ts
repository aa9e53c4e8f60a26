import { ACTIVE_SYNC_STATUSES, JOB_TYPES, jobClassOf } from '../../../src/index.js';
import type { SyncJob } from '../../../src/index.js';
import type { StoreContext } from '../context.js';
import { errorTypeOf, translateError } from '../errors.js';

/**
 * The oldest searchable active job of the same connector and class, other than `job`, or null:
 * `POST <jobs>/_search` (`size: 1`, no `_source`, `created_at` ascending) on `connector.id`, the
 * job types of the class and the active statuses. Run after the lock is taken, it finds active
 * jobs written without the lock (policy off, or Elasticsearch's own API). A missing index has none.
 */
export async function findActiveJob(ctx: StoreContext, job: SyncJob): Promise<string | null> {
  const { docs } = ctx;
  const index = ctx.settings.indices.syncJobs;
  const jobClass = jobClassOf(job.jobType);
  const query = {
    bool: {
      filter: [
        { term: { 'connector.id': job.connector.id } },
        { terms: { job_type: JOB_TYPES.filter((t) => jobClassOf(t) === jobClass) } },
        { terms: { status: [...ACTIVE_SYNC_STATUSES] } },
      ],
      must_not: [{ ids: { values: [job.id] } }],
    },
  };
  try {
    const r = await docs.client.search(
      { index, size: 1, query: query as never, sort: [{ created_at: { order: 'asc', unmapped_type: 'date' } }], _source: false },
      docs.readOptions,
    );
    const hit = r.hits.hits[0];
    return hit?._id ?? null;
  } catch (error: unknown) {
    if (errorTypeOf(error) === 'index_not_found_exception') return null;
    throw translateError(error, `active jobs of connector [${job.connector.id}]`);
  }
}
