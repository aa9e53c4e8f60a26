import type { ConnectorLookup, ConnectorRecord } from '../../src/index.js';
import type { ConnectorCache } from './connector-cache.js';
import type { Queryable } from './queryable.js';
import { findVersionedConnector } from './sql/find-versioned-connector.js';

/**
 * The create path's ConnectorLookup: answers from `cache` without a round trip when it keeps the
 * connector, else reads the row and its version (`sql/find-versioned-connector.ts`). A kept
 * record may be stale (see {@link ConnectorCache}); the job store's insert checks it in the
 * insert itself. Failures to reach the database are StorageUnavailableError.
 */
export class PostgresConnectorLookup implements ConnectorLookup {
  constructor(
    private readonly db: Queryable,
    readonly cache: ConnectorCache,
  ) {}

  async findById(id: string): Promise<ConnectorRecord | null> {
    const kept = this.cache.get(id);
    if (kept !== undefined) return kept;
    return findVersionedConnector(this.db, this.cache, id);
  }
}
