import { decodeConnectorDocument } from '../../../src/index.js';
import type { ConnectorRecord } from '../../../src/index.js';
import type { StoreContext } from '../context.js';

/**
 * `GET <connectors>/_doc/<id>` (realtime): the connector, soft-deleted ones included (flagged);
 * null when it or the index is missing. Decoded leniently: Elasticsearch's connector documents
 * carry many more fields than this library reads.
 */
export async function getConnector(ctx: StoreContext, id: string): Promise<ConnectorRecord | null> {
  const doc = await ctx.docs.get(ctx.settings.indices.connectors, id, `connector [${id}]`);
  return doc ? decodeConnectorDocument(id, doc.source) : null;
}
