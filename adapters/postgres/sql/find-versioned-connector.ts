import type { ConnectorRecord } from '../../../src/index.js';
import { CONNECTOR_SELECT_LIST, rowToConnector } from '../columns/connector-columns.js';
import { unstorableKey } from '../columns/storable-text.js';
import type { ConnectorCache } from '../connector-cache.js';
import { translateError } from '../errors.js';
import type { Queryable, Row, SqlExecutor } from '../queryable.js';

/** A connector row with its version (migration 5), as text (a bigint keeps all its digits). */
const VERSIONED_CONNECTOR_SELECT = `SELECT ${CONNECTOR_SELECT_LIST}, version::text AS version FROM connectors WHERE id = $1`;
const LOCKED_CONNECTOR_SELECT = `${VERSIONED_CONNECTOR_SELECT} FOR SHARE`;

/**
 * `ConnectorLookup.findById` when `cache` does not keep the connector: the row and its version,
 * tracked by `cache` (served from it once an insert conditioned on that version committed).
 */
export async function findVersionedConnector(db: Queryable, cache: ConnectorCache, id: string): Promise<ConnectorRecord | null> {
  if (unstorableKey(id)) return null;
  let row: Row | undefined;
  try {
    // text, boolean and json columns only (`version` as text): no per-query parsers needed
    row = (await db.query(VERSIONED_CONNECTOR_SELECT, [id], { plainTypes: true })).rows[0];
  } catch (error) {
    throw translateError(error, 'reading a connector');
  }
  return row ? cache.track(rowToConnector(row), row.version) : null;
}

/**
 * The connector row and its version, locked FOR SHARE until the transaction `tx` ends (an update
 * or delete of the connector waits for it): the insert transaction's orphan check. Undefined:
 * no row. Errors as the driver throws them.
 */
export async function lockVersionedConnector(tx: SqlExecutor, id: string): Promise<Row | undefined> {
  return (await tx.query(LOCKED_CONNECTOR_SELECT, [id])).rows[0];
}
