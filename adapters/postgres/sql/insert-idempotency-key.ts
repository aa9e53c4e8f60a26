import type { SqlExecutor } from '../queryable.js';

/**
 * Binds an idempotency key to the job `jobId` inserted in the same transaction `tx`; `key` is
 * the primary key, so of concurrent inserts with one key one commits. Errors as the driver
 * throws them. The row goes with the job: `job_id`'s `ON DELETE CASCADE`.
 */
export async function insertIdempotencyKey(tx: SqlExecutor, key: string, fingerprint: string, jobId: string): Promise<void> {
  await tx.query('INSERT INTO sync_job_idempotency (key, fingerprint, job_id) VALUES ($1, $2, $3)', [key, fingerprint, jobId]);
}
