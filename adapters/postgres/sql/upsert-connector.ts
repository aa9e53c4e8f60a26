import { encodeConnectorDocument } from '../../../src/index.js';
import type { ConnectorRecord, JsonObject, UpsertResult } from '../../../src/index.js';
import { CONNECTOR_COLUMN_LIST } from '../columns/connector-columns.js';
import { jsonText } from '../columns/pg-json.js';
import { checkText } from '../columns/storable-text.js';
import type { ConnectorCache } from '../connector-cache.js';
import { translateError } from '../errors.js';
import type { Queryable } from '../queryable.js';

/**
 * `ConnectorStore.upsert`: creates or replaces the connector in one statement. A connector whose
 * text fields hold `\u0000` or a lone surrogate is refused with UnstorableValueError (HTTP 400);
 * JSON values hold anything JSON can. `cache` (the create path's) forgets the id once the
 * statement ran.
 */
export async function upsertConnector(db: Queryable, connector: ConnectorRecord, cache: ConnectorCache | undefined): Promise<UpsertResult> {
  checkText(connector.id, 'id');
  checkText(connector.indexName, 'index_name');
  checkText(connector.serviceType, 'service_type');
  checkText(connector.language, 'language');
  checkText(connector.name, 'name');
  checkText(connector.description, 'description');
  checkText(connector.status, 'status');
  let doc: JsonObject;
  try {
    doc = encodeConnectorDocument(connector);
  } catch (error) {
    throw translateError(error, 'encoding a connector');
  }
  const params = [
    connector.id,
    connector.indexName,
    connector.serviceType,
    connector.language,
    connector.name ?? null,
    connector.isNative === true,
    jsonText(doc.pipeline, 'pipeline'),
    jsonText(doc.configuration, 'configuration'),
    jsonText(doc.filtering, 'filtering'),
    connector.deleted === true,
    connector.description ?? null,
    connector.status ?? null,
  ];
  try {
    const { rows } = await db.query<{ inserted: boolean }>(
      `INSERT INTO connectors (${CONNECTOR_COLUMN_LIST})
         VALUES ($1, $2, $3, $4, $5, $6, $7::text::json, $8::text::json, $9::text::json, $10, $11, $12)
         ON CONFLICT (id) DO UPDATE SET
           index_name = EXCLUDED.index_name, service_type = EXCLUDED.service_type,
           language = EXCLUDED.language, name = EXCLUDED.name, is_native = EXCLUDED.is_native,
           pipeline = EXCLUDED.pipeline, configuration = EXCLUDED.configuration,
           filtering = EXCLUDED.filtering, deleted = EXCLUDED.deleted,
           description = EXCLUDED.description, status = EXCLUDED.status
         RETURNING (xmax = 0) AS inserted`,
      params,
    );
    return rows[0]?.inserted ? 'created' : 'updated';
  } catch (error) {
    throw translateError(error, 'writing a connector');
  } finally {
    // after the write: a create that kept the old record meanwhile is forgotten too
    cache?.forget(connector.id);
  }
}
