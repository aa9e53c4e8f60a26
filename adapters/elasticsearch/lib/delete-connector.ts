import { ConnectorNotFoundError } from '../../../src/index.js';
import type { DeleteConnectorOptions } from '../../../src/index.js';
import type { StoreContext } from '../context.js';
import type { DocumentGateway } from '../gateway.js';
import { errorTypeOf, translateError } from '../errors.js';

/** How many of a deleted connector's jobs have their idempotency claims removed with them (one search). */
export const MAX_CLAIMS_FREED = 10_000;

/**
 * Soft delete: a compare-and-set replace of the document with `deleted: true` (retried when
 * another writer changed it meanwhile); hard: `DELETE` with refresh. Missing (or already
 * soft-deleted) -> ConnectorNotFoundError. With `deleteSyncJobs`, then a refreshed
 * `_delete_by_query` of `connector.id` on the jobs index (Elasticsearch has no transaction
 * across documents: a job created between the two steps of a soft delete is removed too; a job
 * write racing a hard delete may survive, as upstream's).
 */
export async function deleteConnector(ctx: StoreContext, id: string, options: DeleteConnectorOptions = {}): Promise<void> {
  const { docs } = ctx;
  const index = ctx.settings.indices.connectors;
  const what = `connector [${id}]`;
  if (options.hard === true) {
    if (!(await docs.remove(index, id, what))) throw new ConnectorNotFoundError(id);
  } else {
    for (;;) {
      const doc = await docs.get(index, id, what);
      if (!doc || doc.source.deleted === true) throw new ConnectorNotFoundError(id);
      const held = await docs.replaceIf(index, id, { ...doc.source, deleted: true }, doc, what);
      if (held) break;
    }
  }
  if (options.deleteSyncJobs === true) await deleteJobsOf(ctx, id, what);
}

/**
 * Removes the connector's jobs, and what they held: the idempotency claims naming them (a key
 * then gives a new job) and the connector's active-job locks. Claims of jobs beyond the first
 * {@link MAX_CLAIMS_FREED} are left to expire (staleClaimMs).
 */
async function deleteJobsOf(ctx: StoreContext, id: string, what: string): Promise<void> {
  const { docs } = ctx;
  const indices = ctx.settings.indices;
  const ofConnector = { bool: { filter: [{ term: { 'connector.id': id } }] } };
  const jobIds = await searchIds(docs, indices.syncJobs, ofConnector, MAX_CLAIMS_FREED, `sync jobs of ${what}`);
  if (jobIds.length > 0) {
    // a claim's latest write may not be searchable yet (a job delete marks claims released
    // without refresh), and the delete-by-query skips a document changed since its search
    await refresh(docs, indices.idempotency, `idempotency keys of ${what}`);
    await deleteByQuery(docs, indices.idempotency, { bool: { filter: [{ terms: { job_id: jobIds } }] } }, `idempotency keys of ${what}`);
  }
  await deleteByQuery(docs, indices.syncJobs, ofConnector, `sync jobs of ${what}`);
  await refresh(docs, indices.activeJobLocks, `active job locks of ${what}`);
  await deleteByQuery(docs, indices.activeJobLocks, { bool: { filter: [{ term: { connector_id: id } }] } }, `active job locks of ${what}`);
}

/** `POST <index>/_search` without `_source`: the `_id`s of up to `size` searchable hits; a missing index has none. */
async function searchIds(docs: DocumentGateway, index: string, query: object, size: number, what: string): Promise<string[]> {
  try {
    const r = await docs.client.search({ index, size, query: query as never, _source: false }, docs.readOptions);
    return r.hits.hits.map((h) => h._id).filter((x): x is string => typeof x === 'string');
  } catch (error: unknown) {
    if (errorTypeOf(error) === 'index_not_found_exception') return [];
    throw translateError(error, what);
  }
}

/** `POST <index>/_refresh`; a missing index is fine. */
async function refresh(docs: DocumentGateway, index: string, what: string): Promise<void> {
  try {
    await docs.client.indices.refresh({ index }, docs.writeOptions);
  } catch (error: unknown) {
    if (errorTypeOf(error) === 'index_not_found_exception') return;
    throw translateError(error, what);
  }
}

/** `POST <index>/_delete_by_query?refresh=true&conflicts=proceed`; a missing index deletes nothing. */
async function deleteByQuery(docs: DocumentGateway, index: string, query: object, what: string): Promise<number> {
  try {
    const r = await docs.client.deleteByQuery({ index, query: query as never, refresh: true, conflicts: 'proceed' }, docs.writeOptions);
    return r.deleted ?? 0;
  } catch (error: unknown) {
    if (errorTypeOf(error) === 'index_not_found_exception') return 0;
    throw translateError(error, what);
  }
}
