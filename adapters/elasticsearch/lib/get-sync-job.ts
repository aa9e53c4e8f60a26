import { decodeSyncJobDocument } from '../../../src/index.js';
import type { SyncJob } from '../../../src/index.js';
import type { StoreContext } from '../context.js';

/**
 * `GET <jobs>/_doc/<id>` (realtime): the decoded job, or null when it or the jobs index is
 * missing. A stored document that does not decode is the decoder's typed error.
 */
export async function getSyncJob(ctx: StoreContext, id: string): Promise<SyncJob | null> {
  const doc = await ctx.docs.get(ctx.settings.indices.syncJobs, id, `sync job [${id}]`);
  return doc ? decodeSyncJobDocument(id, doc.source) : null;
}
