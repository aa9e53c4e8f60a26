import type { Client } from '@elastic/elasticsearch';
import type { ConnectorRecord, ConnectorStore, DeleteConnectorOptions, UpsertResult } from '../../src/index.js';
import { storeContext } from './context.js';
import type { StoreContext } from './context.js';
import { deleteConnector } from './lib/delete-connector.js';
import { getConnector } from './lib/get-connector.js';
import { upsertConnector } from './lib/upsert-connector.js';
import type { ElasticsearchStoreSettings } from './settings.js';

/** Connectors in `.elastic-connectors` (or the configured index), as Elasticsearch stores them. */
export class ElasticsearchConnectorStore implements ConnectorStore {
  private readonly ctx: StoreContext;
  readonly index: string;

  constructor(client: Client, settings: ElasticsearchStoreSettings = {}) {
    this.ctx = storeContext(client, settings);
    this.index = this.ctx.settings.indices.connectors;
  }

  /** The connector, soft-deleted ones included (flagged); null when it or the index is missing. */
  findById(id: string): Promise<ConnectorRecord | null> {
    return getConnector(this.ctx, id);
  }

  upsert(connector: ConnectorRecord): Promise<UpsertResult> {
    return upsertConnector(this.ctx, connector);
  }

  /** Soft (default) or hard delete, optionally with the connector's jobs (`lib/delete-connector.ts`). */
  delete(id: string, options: DeleteConnectorOptions = {}): Promise<void> {
    return deleteConnector(this.ctx, id, options);
  }
}
