import type { ConnectorRecord } from '../../../src/index.js';
import { CONNECTOR_SELECT_LIST, rowToConnector } from '../columns/connector-columns.js';
import { unstorableKey } from '../columns/storable-text.js';
import { translateError } from '../errors.js';
import type { Queryable, Row } from '../queryable.js';

const FIND_CONNECTOR_SQL = `SELECT ${CONNECTOR_SELECT_LIST} FROM connectors WHERE id = $1`;

/** `ConnectorStore.findById`: the connector as stored (always the table, never the cache), or null. */
export async function findConnector(db: Queryable, id: string): Promise<ConnectorRecord | null> {
  if (unstorableKey(id)) return null;
  let rows: Row[];
  try {
    rows = (await db.query(FIND_CONNECTOR_SQL, [id])).rows;
  } catch (error) {
    throw translateError(error, 'reading a connector');
  }
  const row = rows[0];
  return row ? rowToConnector(row) : null;
}
