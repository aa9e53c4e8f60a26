import { StorageUnavailableError, encodeSyncInfo } from '../../../src/index.js';
import type { ConnectorSyncInfo, JsonObject } from '../../../src/index.js';
import type { StoreContext } from '../context.js';
import { translateError } from '../errors.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Writes a job's sync info over its connector (spec section 8), after the job's own write:
 * GET the connector (realtime, with `_seq_no`/`_primary_term`), then a partial
 * `POST <connectors>/_update/<id>?if_seq_no&if_primary_term&refresh=true` with the info in
 * upstream's field names (a cleared field as null). A missing or soft-deleted connector is left
 * alone; a 409 (another writer in between) reads again, bounded by `updateAttempts`, then a
 * retryable StorageUnavailableError. The job's write and this one are two writes: a crash in
 * between leaves the connector behind, and the worker's retry of its end (answered `noop`)
 * writes it again (ARCHITECTURE.md).
 */
export async function writeConnectorSyncInfo(ctx: StoreContext, connectorId: string, info: ConnectorSyncInfo): Promise<void> {
  const { docs, settings } = ctx;
  const index = settings.indices.connectors;
  const what = `connector [${connectorId}]`;
  const doc: JsonObject = encodeSyncInfo(info, true);
  if (info.status !== undefined) doc.status = info.status;
  for (let attempt = 1; ; attempt++) {
    const seen = await docs.get(index, connectorId, what);
    if (!seen || seen.source.deleted === true) return;
    let outcome: 'updated' | 'conflict' | 'missing';
    try {
      outcome = await docs.updateIf(index, connectorId, doc, seen);
    } catch (error: unknown) {
      throw translateError(error, what);
    }
    if (outcome !== 'conflict') return;
    if (attempt >= settings.updateAttempts) {
      throw new StorageUnavailableError(`Too much contention on ${what}: ${attempt} compare-and-set attempts lost to other writers; retry later.`);
    }
    await sleep(Math.random() * Math.min(2 ** attempt, 100));
  }
}
