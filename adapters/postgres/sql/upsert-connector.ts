import { encodeConnectorDocument } from '../../../src/index.js';
import type { ConnectorRecord, JsonObject, UpsertResult } from '../../../src/index.js';
import { CONNECTOR_COLUMN_LIST, CONNECTOR_COLUMNS, checkConnectorText, connectorParams } from '../columns/connector-columns.js';
import { placeholder } from '../columns/param-cast.js';
import type { ConnectorCache } from '../connector-cache.js';
import { translateError } from '../errors.js';
import type { Queryable } from '../queryable.js';

/** Every column from the parameters; on an existing id, every column but `id` replaced (the whole connector, as memory and Elasticsearch); whether the row is new. */
const UPSERT_CONNECTOR_SQL =
  `INSERT INTO connectors (${CONNECTOR_COLUMN_LIST}) VALUES (${CONNECTOR_COLUMNS.map((c, i) => placeholder(c, i + 1)).join(', ')})` +
  ` ON CONFLICT (id) DO UPDATE SET ${CONNECTOR_COLUMNS.filter((c) => c.name !== 'id')
    .map((c) => `${c.name} = EXCLUDED.${c.name}`)
    .join(', ')}` +
  ' RETURNING (xmax = 0) AS inserted';

/**
 * `ConnectorStore.upsert`: creates or replaces the connector in one statement. A connector whose
 * text fields hold `\u0000` or a lone surrogate is refused with UnstorableValueError (HTTP 400);
 * JSON values hold anything JSON can. `cache` (the create path's) forgets the id once the
 * statement ran.
 */
export async function upsertConnector(db: Queryable, connector: ConnectorRecord, cache: ConnectorCache | undefined): Promise<UpsertResult> {
  checkConnectorText(connector);
  let doc: JsonObject;
  try {
    doc = encodeConnectorDocument(connector);
  } catch (error) {
    throw translateError(error, 'encoding a connector');
  }
  const params = connectorParams(connector, doc);
  try {
    const { rows } = await db.query<{ inserted: boolean }>(UPSERT_CONNECTOR_SQL, params);
    return rows[0]?.inserted ? 'created' : 'updated';
  } catch (error) {
    throw translateError(error, 'writing a connector');
  } finally {
    // after the write: a create that kept the old record meanwhile is forgotten too
    cache?.forget(connector.id);
  }
}
