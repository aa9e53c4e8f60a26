import { encodeConnectorDocument } from '../../../src/index.js';
import type { ConnectorRecord, UpsertResult } from '../../../src/index.js';
import type { StoreContext } from '../context.js';
import { translateError } from '../errors.js';

/** `PUT <connectors>/_doc/<id>?op_type=index&refresh=true`: 'created' or 'updated', as Elasticsearch answers. */
export async function upsertConnector(ctx: StoreContext, connector: ConnectorRecord): Promise<UpsertResult> {
  const { docs } = ctx;
  const index = ctx.settings.indices.connectors;
  const id = connector.id;
  const document = encodeConnectorDocument(connector);
  try {
    const r = await docs.client.index({ index, id, document, op_type: 'index', refresh: true }, docs.writeOptions);
    return r.result === 'created' ? 'created' : 'updated';
  } catch (error: unknown) {
    throw translateError(error, `connector [${connector.id}]`, id);
  }
}
