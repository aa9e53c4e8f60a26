import { changedSyncJobFields, encodeSyncJobDocument } from '../../src/index.js';
import type { JsonObject, SyncJob } from '../../src/index.js';

/**
 * The partial `_update` document of a decision (used by `update` and by the queue's claim): the
 * top-level fields of the encoded job (the one codec, snake_case) that differ between `before`
 * and `after`, a field the decision cleared as `null`, and a cursor change as
 * `{connector: {sync_cursor}}` (the rest of the snapshot is fixed). Null when nothing changed.
 * `changedSyncJobFields` guards the fixed fields (TypeError).
 */
export function changedFieldsDocument(before: SyncJob, after: SyncJob): JsonObject | null {
  if (changedSyncJobFields(before, after).length === 0) return null;
  const a = encodeSyncJobDocument(before);
  const b = encodeSyncJobDocument(after);
  const doc: JsonObject = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (key === 'connector') continue;
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) doc[key] = b[key] ?? null;
  }
  const cursorBefore = (a.connector as JsonObject).sync_cursor;
  const cursorAfter = (b.connector as JsonObject).sync_cursor;
  if (JSON.stringify(cursorBefore) !== JSON.stringify(cursorAfter)) doc.connector = { sync_cursor: cursorAfter ?? null };
  return Object.keys(doc).length === 0 ? null : doc;
}
