import type { StoreContext } from '../context.js';
import type { DocumentGateway } from '../gateway.js';
import { errorTypeOf, translateError } from '../errors.js';
import { ACTIVE_JOB_LOCKS_MAPPINGS, CONNECTORS_MAPPINGS, IDEMPOTENCY_MAPPINGS, SYNC_JOBS_MAPPINGS } from '../mappings.js';

/** Creates the four indices with their mappings when missing; existing ones are left alone. */
export async function ensureIndices(ctx: StoreContext): Promise<void> {
  const i = ctx.settings.indices;
  await ensureIndex(ctx.docs, i.connectors, CONNECTORS_MAPPINGS);
  await ensureIndex(ctx.docs, i.syncJobs, SYNC_JOBS_MAPPINGS);
  await ensureIndex(ctx.docs, i.idempotency, IDEMPOTENCY_MAPPINGS);
  await ensureIndex(ctx.docs, i.activeJobLocks, ACTIVE_JOB_LOCKS_MAPPINGS);
}

/** `HEAD <index>`, then `PUT <index>` with the mappings unless it (or an alias of that name) exists. */
async function ensureIndex(docs: DocumentGateway, index: string, mappings: object): Promise<void> {
  try {
    const exists = await docs.client.indices.exists({ index }, docs.readOptions);
    if (exists) return;
    await docs.client.indices.create({ index, mappings: mappings as never }, docs.writeOptions);
  } catch (error: unknown) {
    // A concurrent creator won the race: the index exists, which is all we need.
    if (errorTypeOf(error) === 'resource_already_exists_exception') return;
    throw translateError(error, `creating index [${index}]`);
  }
}
