import type { IdempotencyRecord } from '../../../src/index.js';
import { unstorableKey } from '../columns/storable-text.js';
import { translateError } from '../errors.js';
import type { Queryable, SqlExecutor } from '../queryable.js';

/** The record of an idempotency key, or null; errors as the driver throws them. */
export async function selectIdempotencyKey(db: SqlExecutor, key: string): Promise<IdempotencyRecord | null> {
  const { rows } = await db.query<{ fingerprint: string; job_id: string }>(
    'SELECT fingerprint, job_id FROM sync_job_idempotency WHERE key = $1',
    [key],
  );
  const row = rows[0];
  return row ? { fingerprint: row.fingerprint, jobId: row.job_id } : null;
}

/** `SyncJobStore.findIdempotencyKey`: one statement. */
export async function findIdempotencyKey(db: Queryable, key: string): Promise<IdempotencyRecord | null> {
  if (unstorableKey(key)) return null;
  try {
    return await selectIdempotencyKey(db, key);
  } catch (error) {
    throw translateError(error, 'reading an idempotency key');
  }
}
