import type { SyncJob } from '../../../src/index.js';
import { translateError } from '../errors.js';
import type { Queryable } from '../queryable.js';
import { statementName } from '../statement-name.js';
import type { NamedOptions } from '../statement-name.js';
import { duplicateIdOr, insertShape, insertSql } from './insert-statement.js';

/**
 * The common create (no idempotency key, no policy) in ONE named statement, so one round trip:
 * the INSERT ... SELECT reads the connector row FOR SHARE (a concurrent delete waits for the
 * commit; on PGlite, which runs each statement alone, nothing can interleave and no lock is
 * taken) and inserts only when it is live, atomically, or, with `version`, only when it is still
 * that version (the job was built from it). False: no row inserted (gone, deleted or changed).
 * The job's text columns are checked by the caller.
 */
export async function createSyncJob(db: Queryable, named: NamedOptions, job: SyncJob, version: bigint | undefined): Promise<boolean> {
  const shape = insertShape(job);
  const versioned = version !== undefined;
  if (versioned) shape.params.push(version.toString());
  try {
    // PGlite runs this statement alone (db.serialized): nothing can write the row before its commit, no lock needed
    const lock = db.serialized !== true;
    const text = insertSql(shape.columns, shape.key, true, versioned, lock);
    const { rows } = await db.query(text, shape.params, named(statementName('create', text)));
    return rows.length > 0;
  } catch (error) {
    throw translateError(duplicateIdOr(error, job.id), 'inserting a sync job');
  }
}
