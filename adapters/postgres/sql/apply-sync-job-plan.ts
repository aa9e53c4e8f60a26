import type { SyncJobPlan, SyncJobUpdate } from '../../../src/index.js';
import { rowToJob } from '../columns/job-columns.js';
import { unstorableKey } from '../columns/storable-text.js';
import { sqlStateOf, translateError } from '../errors.js';
import type { Queryable, Row } from '../queryable.js';
import type { NamedOptions } from '../statement-name.js';
import { planStatement } from './plan-statement.js';
import { writesSyncInfo } from '../../../src/internal.js';
import { applySyncJobPlanLocked, readAndApplySyncJobPlan } from './read-and-apply-sync-job-plan.js';

/**
 * `SyncJobStore.apply`. A plan that may claim or end the job (`writesSyncInfo`: it may write the
 * connector's sync info, spec section 8) runs in one transaction with the connector's write
 * ({@link applySyncJobPlanLocked}); of the domain's plans that is every one but check-in and
 * stats. Any other is compiled by {@link planStatement} to ONE `UPDATE sync_jobs SET
 * ... WHERE id = $1 AND status IN (<the statuses it accepts>) RETURNING` the row, the JSON merges
 * done by the SQL function of migration 6. Atomic on its own (the row lock of the UPDATE
 * serialises concurrent writers, and the guard is re-checked on the latest row version), so no
 * read and no retry. When it matches no row (no such job, a status the plan refuses or leaves
 * alone, a guard that failed) or a merge meets a key `text` cannot hold (class 22), the store
 * applies the plan in JavaScript on the row it reads ({@link readAndApplySyncJobPlan}): the read
 * explains it (null, the refusal with upstream's message, or `noop`), or, when the job moved to
 * an accepted status in between, writes it.
 */
export async function applySyncJobPlan(db: Queryable, named: NamedOptions, id: string, plan: SyncJobPlan): Promise<SyncJobUpdate | null> {
  if (unstorableKey(id)) return null;
  // a claim or an end writes the connector's sync info too, in the same transaction
  if (writesSyncInfo(plan)) return applySyncJobPlanLocked(db, named, id, plan);
  const statement = planStatement(plan, { id });
  if (statement === null) return readAndApplySyncJobPlan(db, named, id, plan);
  let rows: Row[];
  try {
    rows = (await db.query(statement.text, statement.params, named(statement.name))).rows;
  } catch (error) {
    if (statement.merges && sqlStateOf(error)?.startsWith('22')) return readAndApplySyncJobPlan(db, named, id, plan);
    throw translateError(error, 'updating a sync job');
  }
  const row = rows[0];
  return row ? { job: rowToJob(row), result: 'updated' } : readAndApplySyncJobPlan(db, named, id, plan);
}
