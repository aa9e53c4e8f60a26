import { unstorableKey } from '../columns/storable-text.js';
import { translateError } from '../errors.js';
import type { Queryable } from '../queryable.js';

/**
 * `SyncJobStore.delete`: one statement. It deletes the row, and `sync_job_idempotency`'s
 * `ON DELETE CASCADE` deletes the keys bound to it in the same statement (so each key gives a new
 * job on its next use). The one-active-job check counts existing rows, so the lock goes with the row.
 */
export async function deleteSyncJob(db: Queryable, id: string): Promise<boolean> {
  if (unstorableKey(id)) return false;
  try {
    const { rows } = await db.query('DELETE FROM sync_jobs WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  } catch (error) {
    throw translateError(error, 'deleting a sync job');
  }
}
