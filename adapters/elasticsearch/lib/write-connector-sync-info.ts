import { Instant, encodeSyncInfo } from '../../../src/internal.js';
import { casBackOff, casContention } from '../compare-and-set.js';
import type { ConnectorSyncInfo, JsonObject } from '../../../src/internal.js';
import type { StoreContext } from '../context.js';
import { translateError } from '../errors.js';


/** Options of {@link writeConnectorSyncInfo}. */
export interface SyncInfoWriteOptions {
  /**
   * A repeat of an end (the job was found already ended): written only while the connector has
   * recorded no later sync (`last_synced` before the info's), so a late retry never rolls a newer
   * job's info back.
   */
  repeat?: boolean;
}

/**
 * Writes a job's sync info over its connector (spec section 8), after the job's own write:
 * GET the connector (realtime, with `_seq_no`/`_primary_term`), then a partial
 * `POST <connectors>/_update/<id>?if_seq_no&if_primary_term&refresh=true` with the info in
 * upstream's field names (a cleared field as null); with a cursor, the whole document under the
 * same sequence-number check instead (`_update` would merge the new cursor into the stored one,
 * which it replaces). A missing or soft-deleted connector is left alone; a 409 (another writer in
 * between) reads again, bounded by `updateAttempts`, then a retryable StorageUnavailableError.
 * The job's write and this one are two writes: a crash in between leaves the connector behind,
 * and the worker's retry of its end (answered `noop`) writes it again (ARCHITECTURE.md).
 */
export async function writeConnectorSyncInfo(ctx: StoreContext, connectorId: string, info: ConnectorSyncInfo, options: SyncInfoWriteOptions = {}): Promise<void> {
  const { docs, settings } = ctx;
  const index = settings.indices.connectors;
  const what = `connector [${connectorId}]`;
  const doc: JsonObject = encodeSyncInfo(info, true);
  if (info.status !== undefined) doc.status = info.status;
  for (let attempt = 1; ; attempt++) {
    const seen = await docs.get(index, connectorId, what);
    if (!seen || seen.source.deleted === true) return;
    if (options.repeat && info.lastSynced !== undefined && typeof seen.source.last_synced === 'string') {
      const recorded = Instant.parse(seen.source.last_synced);
      if (recorded !== null && recorded.compareTo(info.lastSynced) >= 0) return;
    }
    let outcome: 'updated' | 'conflict' | 'missing';
    if (info.syncCursor !== undefined) {
      outcome = (await docs.replaceIf(index, connectorId, { ...seen.source, ...doc }, seen, what, true)) ? 'updated' : 'conflict';
    } else {
      try {
        outcome = await docs.updateIf(index, connectorId, doc, seen);
      } catch (error: unknown) {
        throw translateError(error, what);
      }
    }
    if (outcome !== 'conflict') return;
    if (attempt >= settings.updateAttempts) {
      throw casContention(what, attempt);
    }
    await casBackOff(attempt);
  }
}
