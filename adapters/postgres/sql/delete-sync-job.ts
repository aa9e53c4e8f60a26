import { Instant, JOB_TYPES, isRunning, syncGoneInfo } from '../../../src/index.js';
import type { JobType, SyncStatus } from '../../../src/index.js';
import { unstorableKey } from '../columns/storable-text.js';
import { translateError } from '../errors.js';
import type { Queryable } from '../queryable.js';
import type { NamedOptions } from '../statement-name.js';
import { writeConnectorSyncInfo } from './write-connector-sync-info.js';

/**
 * `SyncJobStore.delete`: one transaction. It deletes the row, and `sync_job_idempotency`'s
 * `ON DELETE CASCADE` deletes the keys bound to it in the same statement (so each key gives a new
 * job on its next use); the one-active-job check counts existing rows, so the lock goes with the
 * row. A running job's connector gets `syncGoneInfo` (spec section 8) in the same transaction.
 */
export async function deleteSyncJob(db: Queryable, named: NamedOptions, id: string, now: Instant = Instant.fromDate(new Date())): Promise<boolean> {
  if (unstorableKey(id)) return false;
  try {
    return await db.transaction(async (tx) => {
      // only what the connector's write needs: a damaged row is deleted like any other
      const { rows } = await tx.query<{ status: string; job_type: string; connector_id: string }>(
        'DELETE FROM sync_jobs WHERE id = $1 RETURNING status, job_type, connector_id',
        [id],
      );
      const row = rows[0];
      if (!row) return false;
      const jobType = row.job_type as JobType;
      if (isRunning({ status: row.status as SyncStatus }) && JOB_TYPES.includes(jobType)) {
        await writeConnectorSyncInfo(tx, named, row.connector_id, syncGoneInfo({ jobType }, now));
      }
      return true;
    });
  } catch (error) {
    throw translateError(error, 'deleting a sync job');
  }
}
