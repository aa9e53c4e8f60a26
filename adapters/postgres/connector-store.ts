import type { ConnectorRecord, ConnectorStore, DeleteConnectorOptions, UpsertResult } from '../../src/index.js';
import type { ConnectorCache } from './connector-cache.js';
import type { Queryable } from './queryable.js';
import { deleteConnector } from './sql/delete-connector.js';
import { findConnector } from './sql/find-connector.js';
import { upsertConnector } from './sql/upsert-connector.js';

/**
 * Connectors in the `connectors` table, in Elasticsearch's wire form for the json columns
 * (`columns/connector-columns.ts`). `findById` always reads the table; writes make `cache` (the
 * create path's) forget the id. Each operation is the `sql/` file of its name.
 */
export class PostgresConnectorStore implements ConnectorStore {
  constructor(
    private readonly db: Queryable,
    private readonly cache?: ConnectorCache,
  ) {}

  /** `sql/find-connector.ts` */
  findById(id: string): Promise<ConnectorRecord | null> {
    return findConnector(this.db, id);
  }

  /** `sql/upsert-connector.ts`: a connector whose text fields PostgreSQL cannot hold is UnstorableValueError (HTTP 400). */
  upsert(connector: ConnectorRecord): Promise<UpsertResult> {
    return upsertConnector(this.db, connector, this.cache);
  }

  /** `sql/delete-connector.ts`: soft or hard, with the connector's jobs when `deleteSyncJobs`. */
  delete(id: string, options: DeleteConnectorOptions = {}): Promise<void> {
    return deleteConnector(this.db, id, options, this.cache);
  }
}
