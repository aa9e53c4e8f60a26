import type { ClaimNextFilters, SyncJob, SyncJobPlan } from '../../../src/index.js';
import { JOB_SELECT, PLAIN, rowToJob } from '../columns/job-columns.js';
import { sqlStateOf, translateError } from '../errors.js';
import type { Queryable } from '../queryable.js';
import { planStatement, targetClause, unstorablePlanText } from './plan-statement.js';
import { applyPlanToLockedRow } from './read-and-apply-sync-job-plan.js';

/**
 * `SyncJobQueue.claimNext`: the claim plan compiled by {@link planStatement} with claim-next's
 * target, ONE statement: `UPDATE sync_jobs SET ... WHERE id = (SELECT id ... ORDER BY (status =
 * 'suspended'), created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) AND status IN (...) RETURNING`.
 * Concurrent workers skip each other's locked rows instead of waiting, and a row another worker
 * claimed meanwhile fails the re-checked WHERE, so no job is handed out twice. A text the plan
 * sets that PostgreSQL cannot hold is UnstorableValueError before anything is looked at. A plan
 * that cannot be one statement (a cursor nested deeper than the SQL merge goes), or whose merge
 * meets a key `text` cannot hold, is applied in JavaScript to the row the same `SELECT ... FOR
 * UPDATE SKIP LOCKED` locked, in one transaction.
 */
export async function claimNextSyncJob(db: Queryable, filters: ClaimNextFilters, plan: SyncJobPlan): Promise<SyncJob | null> {
  const unstorable = unstorablePlanText(plan);
  if (unstorable) throw unstorable;
  const statement = planStatement(plan, { next: filters });
  if (statement !== null) {
    try {
      const { rows } = await db.query(statement.text, statement.params, PLAIN);
      return rows[0] ? rowToJob(rows[0]) : null;
    } catch (error) {
      if (!(statement.merges && sqlStateOf(error)?.startsWith('22'))) throw translateError(error, 'claiming the next sync job');
    }
  }
  return claimInJavaScript(db, filters, plan);
}

async function claimInJavaScript(db: Queryable, filters: ClaimNextFilters, plan: SyncJobPlan): Promise<SyncJob | null> {
  // the same target as the one statement, read whole: its row is locked by the inner FOR UPDATE SKIP LOCKED
  const target = targetClause({ next: filters });
  let refused: { error: unknown } | undefined;
  try {
    return await db.transaction(async (tx) => {
      const { rows } = await tx.query(`SELECT ${JOB_SELECT} FROM sync_jobs WHERE ${target.where}`, target.params, PLAIN);
      const row = rows[0];
      if (!row) return null;
      return (await applyPlanToLockedRow(tx, row, plan, (error) => (refused = { error }))).job;
    });
  } catch (error) {
    if (refused) throw refused.error;
    throw translateError(error, 'claiming the next sync job');
  }
}
