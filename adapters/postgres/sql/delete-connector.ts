import { ConnectorNotFoundError } from '../../../src/index.js';
import type { DeleteConnectorOptions } from '../../../src/index.js';
import { unstorableKey } from '../columns/storable-text.js';
import type { ConnectorCache } from '../connector-cache.js';
import { translateError } from '../errors.js';
import type { Queryable, SqlExecutor } from '../queryable.js';

const HARD_DELETE_SQL = 'DELETE FROM connectors WHERE id = $1 RETURNING id';
const SOFT_DELETE_SQL = 'UPDATE connectors SET deleted = true WHERE id = $1 AND NOT deleted RETURNING id';

/**
 * `ConnectorStore.delete`: soft (`deleted = true`) or hard delete, ConnectorNotFoundError when
 * there is no live row; with `deleteSyncJobs` the connector's jobs (and, by the foreign key's
 * cascade, the idempotency keys naming them) are deleted in the same transaction, before the
 * connector's row: the lifecycle locks a job's row and then its connector's, so this takes them
 * in the same order (no deadlock with a claim or an end). `cache` (the create path's) forgets
 * the id once the statements ran.
 */
export async function deleteConnector(db: Queryable, id: string, options: DeleteConnectorOptions, cache: ConnectorCache | undefined): Promise<void> {
  if (unstorableKey(id)) throw new ConnectorNotFoundError(id);
  const statement = options.hard === true ? HARD_DELETE_SQL : SOFT_DELETE_SQL;
  const run = async (executor: SqlExecutor): Promise<void> => {
    // a connector found missing rolls the transaction back, its jobs' delete with it
    if (options.deleteSyncJobs === true) await executor.query('DELETE FROM sync_jobs WHERE connector_id = $1', [id]);
    const { rows } = await executor.query(statement, [id]);
    if (rows.length === 0) throw new ConnectorNotFoundError(id);
  };
  try {
    if (options.deleteSyncJobs === true) await db.transaction(run);
    else await run(db);
  } catch (error) {
    if (error instanceof ConnectorNotFoundError) throw error;
    throw translateError(error, 'deleting a connector');
  } finally {
    cache?.forget(id);
  }
}
