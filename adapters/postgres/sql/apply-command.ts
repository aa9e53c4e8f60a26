import type { SyncJob, SyncJobCommand } from '../../../src/index.js';
import { rowToJob } from '../columns/job-columns.js';
import { unstorableKey } from '../columns/storable-text.js';
import { sqlStateOf, translateError } from '../errors.js';
import type { Queryable, Row } from '../queryable.js';
import type { NamedOptions } from '../statement-name.js';
import { commandStatement } from './command-statement.js';
import { updateSyncJob } from './update-sync-job.js';

/**
 * `SyncJobStore.applyCommand`, a lifecycle command in ONE statement (the port's optional fast
 * path): the command's plan compiled by {@link commandStatement} to `UPDATE sync_jobs SET ...
 * WHERE id = $1 AND status IN (<the statuses it accepts>) RETURNING` the row, the JSON merges done
 * by the SQL function of migration 6. Atomic on its own (the row lock of the UPDATE serialises
 * concurrent writers, and the guard is re-checked on the latest row version), so no read and no
 * retry. When it matches no row (no such job, or a status the command refuses) or a merge meets
 * a key `text` cannot hold (class 22), the store runs {@link updateSyncJob} with
 * `command.decide`: one read explains it (null, or the decision's own InvalidTransitionError with
 * upstream's message), or, when the job moved to an accepted status in between, writes it. Same
 * result and errors as `update` with the decision.
 */
export async function applyCommand(db: Queryable, named: NamedOptions, id: string, command: SyncJobCommand): Promise<SyncJob | null> {
  if (unstorableKey(id)) return null;
  const statement = commandStatement(id, command.plan);
  if (statement === null) return updateSyncJob(db, named, id, command.decide);
  let rows: Row[];
  try {
    rows = (await db.query(statement.text, statement.params, named(statement.name))).rows;
  } catch (error) {
    if (statement.merges && sqlStateOf(error)?.startsWith('22')) return updateSyncJob(db, named, id, command.decide);
    throw translateError(error, 'updating a sync job');
  }
  const row = rows[0];
  return row ? rowToJob(row) : updateSyncJob(db, named, id, command.decide);
}
