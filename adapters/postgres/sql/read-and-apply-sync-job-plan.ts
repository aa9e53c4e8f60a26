import { applyPlan, changedSyncJobFields, syncInfoAfter, writesSyncInfo } from '../../../src/internal.js';
import type { SyncJobPlan, SyncJobUpdate } from '../../../src/index.js';
import { JOB_COLUMNS, JOB_SELECT, PLAIN, checkColumnsText, rowToJob } from '../columns/job-columns.js';
import { placeholder } from '../columns/param-cast.js';
import { unstorableKey } from '../columns/storable-text.js';
import { translateError } from '../errors.js';
import type { Queryable, Row, SqlExecutor } from '../queryable.js';
import { statementName } from '../statement-name.js';
import type { NamedOptions } from '../statement-name.js';
import { writeConnectorSyncInfo } from './write-connector-sync-info.js';

/** The read of the fallback: the job and its row version. */
const VERSIONED_JOB_SELECT = `SELECT xmin::text AS row_version, ${JOB_SELECT} FROM sync_jobs WHERE id = $1`;
const VERSIONED_JOB_NAME = statementName('get_v', VERSIONED_JOB_SELECT);

/** The locked path's read: the job, its row locked until the transaction ends. */
const LOCKED_JOB_SELECT = `SELECT ${JOB_SELECT} FROM sync_jobs WHERE id = $1 FOR UPDATE`;
const LOCKED_JOB_NAME = statementName('get_l', LOCKED_JOB_SELECT);

/** What a plan writes to a stored row: the changed columns and their parameters (none: nothing to write). */
function planWrite(row: Row, plan: SyncJobPlan): { update: SyncJobUpdate; set: string; params: unknown[] } {
  const current = rowToJob(row);
  const update = applyPlan(current, plan);
  // `current` itself: changedSyncJobFields compares JSON parts by identity (untouched parts are kept by reference).
  const changed = new Set<string>(changedSyncJobFields(current, update.job));
  const columns = JOB_COLUMNS.filter((c) => c.changes !== null && changed.has(c.changes));
  checkColumnsText(update.job, columns);
  return {
    update,
    set: columns.map((c, i) => `${c.name} = ${placeholder(c, i + 2)}`).join(', '),
    params: columns.map((c) => c.param(update.job)),
  };
}

/**
 * The fallback of `apply` (the one compiled statement matched no row, or the plan cannot be one
 * statement): two statements, no explicit transaction. A `SELECT` reads the row with its version
 * (`xmin`, the transaction that wrote this row version), `applyPlan` runs on the stored job, and
 * ONE guarded `UPDATE ... WHERE id = $1 AND xmin = <version read>` writes only the columns of the
 * fields it changed (a claim's cursor is the `sync_cursor` column, never the snapshot text). The
 * write applies only to the very row version the plan saw: a concurrent update or delete in
 * between makes it match no row, and the plan is then applied again on the new row inside one
 * transaction that locks it ({@link applyPlanToLockedRow}). A refusal propagates and nothing is
 * written; a `noop` or a plan that changes nothing writes nothing. A text value PostgreSQL cannot
 * hold is UnstorableValueError.
 */
export async function readAndApplySyncJobPlan(db: Queryable, named: NamedOptions, id: string, plan: SyncJobPlan): Promise<SyncJobUpdate | null> {
  if (unstorableKey(id)) return null;
  if (writesSyncInfo(plan)) return applySyncJobPlanLocked(db, named, id, plan);
  let row: Row | undefined;
  try {
    row = (await db.query(VERSIONED_JOB_SELECT, [id], named(VERSIONED_JOB_NAME))).rows[0];
  } catch (error) {
    throw translateError(error, 'updating a sync job');
  }
  if (!row) return null;
  const { update, set, params } = planWrite(row, plan);
  if (set === '') return update;
  let updated: Row[];
  try {
    const guard = `$${params.length + 2}::text::xid`;
    updated = (await db.query(`UPDATE sync_jobs SET ${set} WHERE id = $1 AND xmin = ${guard} RETURNING ${JOB_SELECT}`, [id, ...params, row.row_version], PLAIN)).rows;
  } catch (error) {
    throw translateError(error, 'updating a sync job');
  }
  if (updated[0]) return { job: rowToJob(updated[0]), result: update.result };
  // The row changed or went away since the read: apply again under the row lock.
  return applySyncJobPlanLocked(db, named, id, plan);
}

/**
 * One transaction: `SELECT ... FOR UPDATE` locks the row (a concurrent writer waits for the
 * commit), the plan is applied once on the stored job, the changed columns written and, when the
 * outcome calls for it, the connector's sync info ({@link applyPlanToLockedRow}). Both rows
 * commit together or not at all.
 */
export async function applySyncJobPlanLocked(db: Queryable, named: NamedOptions, id: string, plan: SyncJobPlan): Promise<SyncJobUpdate | null> {
  let refused: { error: unknown } | undefined;
  try {
    return await db.transaction(async (tx) => {
      const { rows } = await tx.query(LOCKED_JOB_SELECT, [id], named(LOCKED_JOB_NAME));
      const row = rows[0];
      if (!row) return null;
      return applyPlanToLockedRow(tx, named, row, plan, (error) => (refused = { error }));
    });
  } catch (error) {
    if (refused) throw refused.error;
    throw translateError(error, 'updating a sync job');
  }
}

/**
 * Applies `plan` to `row`, which the caller's transaction has locked (`FOR UPDATE`), and writes
 * the changed columns, then the connector's sync info the outcome calls for (`syncInfoAfter`).
 * A refusal or an unstorable value is handed to `onRefused` before it is thrown, so the caller
 * can tell it from a storage failure after the rollback.
 */
export async function applyPlanToLockedRow(
  tx: SqlExecutor,
  named: NamedOptions,
  row: Row,
  plan: SyncJobPlan,
  onRefused: (error: unknown) => void,
): Promise<SyncJobUpdate> {
  let write: ReturnType<typeof planWrite>;
  try {
    write = planWrite(row, plan);
  } catch (error) {
    onRefused(error);
    throw error;
  }
  if (write.set === '') return write.update;
  const text = `UPDATE sync_jobs SET ${write.set} WHERE id = $1 RETURNING ${JOB_SELECT}`;
  const updated = await tx.query(text, [row.id, ...write.params], named(statementName('set', text)));
  const job = rowToJob(updated.rows[0]!);
  const info = syncInfoAfter(plan, job);
  if (info) await writeConnectorSyncInfo(tx, named, job.connector.id, info);
  return { job, result: write.update.result };
}
