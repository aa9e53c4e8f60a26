import type { SyncJob } from '../../../src/index.js';
import { JOB_SELECT, PLAIN, rowToJob } from '../columns/job-columns.js';
import { unstorableKey } from '../columns/storable-text.js';
import { translateError } from '../errors.js';
import type { Queryable, QueryOptions, SqlExecutor } from '../queryable.js';
import { statementName } from '../statement-name.js';
import type { NamedOptions } from '../statement-name.js';

/** The statement of a get by id, and its name (prepared once per connection unless named statements are off). */
const GET_SYNC_JOB_SQL = `SELECT ${JOB_SELECT} FROM sync_jobs WHERE id = $1`;
const GET_SYNC_JOB_NAME = statementName('get', GET_SYNC_JOB_SQL);

/**
 * The job `id` as stored, or null; errors as the driver throws them (`options`: a name to
 * prepare it under, in a pool; a transaction's executor ignores it).
 */
export async function selectSyncJob(db: SqlExecutor, id: string, options: QueryOptions = PLAIN): Promise<SyncJob | null> {
  const { rows } = await db.query(GET_SYNC_JOB_SQL, [id], options);
  const row = rows[0];
  return row ? rowToJob(row) : null;
}

/** `SyncJobStore.get`: one named statement. */
export async function getSyncJob(db: Queryable, named: NamedOptions, id: string): Promise<SyncJob | null> {
  if (unstorableKey(id)) return null;
  try {
    return await selectSyncJob(db, id, named(GET_SYNC_JOB_NAME));
  } catch (error) {
    throw translateError(error, 'reading a sync job');
  }
}
