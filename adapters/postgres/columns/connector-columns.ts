import { decodeConnectorDocument } from '../../../src/index.js';
import type { ConnectorRecord, JsonObject } from '../../../src/index.js';
import type { Row } from '../queryable.js';
import { fromJson } from './pg-json.js';

/** Every `connectors` column this adapter reads and writes, in statement order (`id` first). */
export const CONNECTOR_COLUMN_LIST =
  'id, index_name, service_type, language, name, is_native, pipeline, configuration, filtering, deleted, description, status';

/** A row with every {@link CONNECTOR_COLUMN_LIST} column as a connector record (the codec's lenient decoding). */
export function rowToConnector(row: Row): ConnectorRecord {
  const doc: JsonObject = { is_native: row.is_native === true, deleted: row.deleted === true };
  for (const key of ['index_name', 'service_type', 'language', 'name', 'description', 'status'] as const) {
    const v = row[key];
    if (typeof v === 'string') doc[key] = v;
  }
  for (const key of ['pipeline', 'configuration', 'filtering'] as const) {
    const v = fromJson(row[key]);
    if (v !== undefined) doc[key] = v;
  }
  return decodeConnectorDocument(String(row.id), doc);
}
