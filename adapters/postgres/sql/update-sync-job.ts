import { changedSyncJobFields } from '../../../src/index.js';
import type { SyncJob, SyncJobDecision } from '../../../src/index.js';
import { JOB_COLUMNS, JOB_SELECT, PLAIN, checkColumnsText, rowToJob } from '../columns/job-columns.js';
import type { JobColumn } from '../columns/job-columns.js';
import { placeholder } from '../columns/param-cast.js';
import { unstorableKey } from '../columns/storable-text.js';
import { translateError } from '../errors.js';
import type { Queryable, Row } from '../queryable.js';
import { statementName } from '../statement-name.js';
import type { NamedOptions } from '../statement-name.js';

/** `update`'s read: the job and its row version. */
const VERSIONED_JOB_SELECT = `SELECT xmin::text AS row_version, ${JOB_SELECT} FROM sync_jobs WHERE id = $1`;
const VERSIONED_JOB_NAME = statementName('get_v', VERSIONED_JOB_SELECT);

/**
 * `SyncJobStore.update`: two statements, no explicit transaction (2 round trips instead of BEGIN,
 * SELECT ... FOR UPDATE, UPDATE, COMMIT): a `SELECT` reads the row with its version (`xmin`, the
 * id of the transaction that wrote this row version), `decide` runs on the stored job, and ONE
 * guarded `UPDATE ... WHERE id = $1 AND xmin = <version read>` writes only the columns of the
 * fields it changed (`changedSyncJobFields`; a claim's cursor is the `sync_cursor` column, never
 * the snapshot text), returning the stored row. The write is atomic and applies only to the very
 * row version `decide` saw: a concurrent update or delete in between (the UPDATE waits for it
 * and re-checks the guard) makes it match no row, and the store then decides again on the new
 * row inside one transaction that locks it ({@link updateLocked}, the contended path: a hot row
 * costs no retry loop), so of concurrent claims exactly one wins, the other's `decide` sees
 * `in_progress` and refuses. Nothing changed: nothing written, the stored job returned.
 * `decide` runs at most twice, the second time on the latest row; what it throws propagates
 * unchanged and nothing is written. A text value PostgreSQL cannot hold is UnstorableValueError.
 */
export async function updateSyncJob(db: Queryable, named: NamedOptions, id: string, decide: SyncJobDecision): Promise<SyncJob | null> {
  if (unstorableKey(id)) return null;
  let row: Row | undefined;
  try {
    row = (await db.query(VERSIONED_JOB_SELECT, [id], named(VERSIONED_JOB_NAME))).rows[0];
  } catch (error) {
    throw translateError(error, 'updating a sync job');
  }
  if (!row) return null;
  const current = rowToJob(row);
  // `current` itself: changedSyncJobFields compares JSON parts by identity (untouched parts are kept by reference).
  const next = decide(current);
  const changed = new Set<string>(changedSyncJobFields(current, next));
  const columns = JOB_COLUMNS.filter((c) => c.changes !== null && changed.has(c.changes));
  checkColumnsText(next, columns);
  if (columns.length === 0) return current;
  const params = columns.map((c) => c.param(next));
  const set = columns.map((c, i) => `${c.name} = ${placeholder(c, i + 2)}`).join(', ');
  const guard = `$${columns.length + 2}::text::xid`;
  let updated: Row[];
  try {
    updated = (
      await db.query(`UPDATE sync_jobs SET ${set} WHERE id = $1 AND xmin = ${guard} RETURNING ${JOB_SELECT}`, [
        id,
        ...params,
        row.row_version,
      ], PLAIN)
    ).rows;
  } catch (error) {
    throw translateError(error, 'updating a sync job');
  }
  if (updated[0]) return rowToJob(updated[0]);
  // The row changed or went away since the read: decide again under the row lock.
  return updateLocked(db, id, decide);
}

/**
 * The contended path (the guarded UPDATE lost a race): one transaction, `SELECT ... FOR UPDATE`
 * locks the row (a concurrent update, delete or policy check waits for the commit), `decide`
 * runs once on the stored job, and the `UPDATE` writes the changed columns.
 */
async function updateLocked(db: Queryable, id: string, decide: SyncJobDecision): Promise<SyncJob | null> {
  let refused: { error: unknown } | undefined;
  try {
    return await db.transaction(async (tx) => {
      const { rows } = await tx.query(`SELECT ${JOB_SELECT} FROM sync_jobs WHERE id = $1 FOR UPDATE`, [id], PLAIN);
      const row = rows[0];
      if (!row) return null;
      const current = rowToJob(row);
      let columns: JobColumn[];
      let params: unknown[];
      try {
        // `current` itself: changedSyncJobFields compares JSON parts by identity (untouched parts are kept by reference).
        const next = decide(current);
        const changed = new Set<string>(changedSyncJobFields(current, next));
        columns = JOB_COLUMNS.filter((c) => c.changes !== null && changed.has(c.changes));
        checkColumnsText(next, columns);
        params = columns.map((c) => c.param(next));
      } catch (error) {
        refused = { error };
        throw error;
      }
      if (columns.length === 0) return current;
      const set = columns.map((c, i) => `${c.name} = ${placeholder(c, i + 2)}`).join(', ');
      const updated = await tx.query(`UPDATE sync_jobs SET ${set} WHERE id = $1 RETURNING ${JOB_SELECT}`, [id, ...params], PLAIN);
      return rowToJob(updated.rows[0]!);
    });
  } catch (error) {
    if (refused) throw refused.error;
    throw translateError(error, 'updating a sync job');
  }
}
