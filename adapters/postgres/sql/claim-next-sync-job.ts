import type { ClaimNextFilters, SyncJob, SyncJobPlan } from '../../../src/index.js';
import { JOB_SELECT, PLAIN } from '../columns/job-columns.js';
import { translateError } from '../errors.js';
import type { Queryable } from '../queryable.js';
import type { NamedOptions } from '../statement-name.js';
import { targetClause, unstorablePlanText } from './plan-statement.js';
import { applyPlanToLockedRow } from './read-and-apply-sync-job-plan.js';

/**
 * `SyncJobQueue.claimNext`: one transaction. `SELECT ... WHERE id = (SELECT id ... ORDER BY
 * (status = 'suspended'), created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)` takes the next
 * claimable row that passes the filters (claim-next's target, `targetClause`): concurrent
 * workers skip each other's locked rows instead of waiting, so no job is handed out twice. The
 * claim plan is then applied to it as `apply` applies it, with the connector's sync info written
 * in the same transaction (`applyPlanToLockedRow`). A text the plan sets that PostgreSQL cannot
 * hold is UnstorableValueError before anything is looked at.
 */
export async function claimNextSyncJob(db: Queryable, named: NamedOptions, filters: ClaimNextFilters, plan: SyncJobPlan): Promise<SyncJob | null> {
  const unstorable = unstorablePlanText(plan);
  if (unstorable) throw unstorable;
  const target = targetClause({ next: filters });
  let refused: { error: unknown } | undefined;
  try {
    return await db.transaction(async (tx) => {
      // FOR UPDATE on the outer read too: a locking read returns the row version the inner one
      // locked, never the statement snapshot's older one (another worker may have claimed and
      // suspended the job, with a new cursor, in between)
      const { rows } = await tx.query(`SELECT ${JOB_SELECT} FROM sync_jobs WHERE ${target.where} FOR UPDATE`, target.params, PLAIN);
      const row = rows[0];
      if (!row) return null;
      return (await applyPlanToLockedRow(tx, named, row, plan, (error) => (refused = { error }))).job;
    });
  } catch (error) {
    if (refused) throw refused.error;
    throw translateError(error, 'claiming the next sync job');
  }
}
