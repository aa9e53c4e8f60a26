import { ACTIVE_SYNC_STATUSES, JOB_TYPES, jobClassOf } from '../../../src/index.js';
import type { JobClass } from '../../../src/index.js';
import type { SqlExecutor } from '../queryable.js';

const FIND_ACTIVE_SQL = `SELECT id FROM sync_jobs
             WHERE connector_id = $1 AND job_type = ANY($2::text[]) AND status = ANY($3::text[])
             ORDER BY created_at DESC, id LIMIT 1`;

/**
 * The newest pending / in_progress / canceling / suspended job of the connector in the job class
 * `jobClass` (the one-active-job policy; a partial index), or undefined. Errors as the driver
 * throws them. Run under `lockActiveJobClass` (advisory-locks.ts) so that two inserts cannot both see none.
 */
export async function findActiveSyncJob(tx: SqlExecutor, connectorId: string, jobClass: JobClass): Promise<string | undefined> {
  const types = JOB_TYPES.filter((t) => jobClassOf(t) === jobClass);
  const active = await tx.query<{ id: string }>(FIND_ACTIVE_SQL, [connectorId, types, [...ACTIVE_SYNC_STATUSES]]);
  return active.rows[0]?.id;
}
