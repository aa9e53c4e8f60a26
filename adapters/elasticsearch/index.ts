import type { Client } from '@elastic/elasticsearch';
type ClientOptions = NonNullable<ConstructorParameters<typeof Client>[0]>;
import { ContainerModule } from 'inversify';
import { TOKENS } from '../../src/index.js';
import { assertDriverInstalled, requireDriver } from '../../src/internal.js';
import type { Closeable, ConnectorLookup, ConnectorStore, SyncJobQueue, SyncJobStore } from '../../src/index.js';
import { ElasticsearchConnectorStore } from './connector-store.js';
import { ElasticsearchSyncJobQueue } from './queue.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './settings.js';
import type { ElasticsearchStoreSettings } from './settings.js';
import { ElasticsearchSyncJobStore } from './sync-job-store.js';

export { ElasticsearchSyncJobQueue } from './queue.js';
export type { ElasticsearchQueueSettings } from './queue.js';

export { DEFAULT_INDICES, DEFAULT_REQUEST_TIMEOUT_MS } from './settings.js';
export type { ElasticsearchIndices, ElasticsearchStoreSettings } from './settings.js';
export { ElasticsearchConnectorStore } from './connector-store.js';
export { ElasticsearchSyncJobStore } from './sync-job-store.js';
export { activeLockDocId, idempotencyDocId } from './claims-and-locks.js';
export { translateError } from './errors.js';
export {
  ACTIVE_JOB_LOCKS_MAPPINGS,
  CONNECTORS_MAPPINGS,
  IDEMPOTENCY_MAPPINGS,
  SYNC_JOBS_MAPPINGS,
} from './mappings.js';

/** The adapter creates, owns and closes the client. */
export interface ElasticsearchNodeOptions extends ElasticsearchStoreSettings {
  /** e.g. `http://localhost:9200`. */
  node: string | undefined;
  auth?: ClientOptions['auth'];
  client?: undefined;
}

/** The host's client: used, never closed. */
export interface ElasticsearchClientOptions extends ElasticsearchStoreSettings {
  client: Client;
  node?: undefined;
}

/** Options of {@link elasticsearchModule}. */
export type ElasticsearchModuleOptions = ElasticsearchNodeOptions | ElasticsearchClientOptions;

/**
 * The Elasticsearch storage module: ConnectorStore and ConnectorLookup on `.elastic-connectors`,
 * SyncJobStore on `.elastic-connectors-sync-jobs` (names configurable), an Initializer that
 * creates missing indices, and, when the adapter created the client, a Closeable for it.
 * With `{ node }` the adapter loads `@elastic/elasticsearch` (an optional peer dependency; a
 * MissingDriverError naming it when it is not installed); with `{ client }` it loads nothing.
 */
export function elasticsearchModule(options: ElasticsearchModuleOptions): ContainerModule {
  if (!options.client) assertDriverInstalled('@elastic/elasticsearch', 'elasticsearchModule({ node })');
  return new ContainerModule(({ bind }) => {
    let client: Client;
    if (options.client) {
      client = options.client;
    } else {
      if (!options.node) throw new TypeError('elasticsearchModule: `node` (e.g. http://localhost:9200) or `client` is required');
      const { Client: ClientClass } = requireDriver<typeof import('@elastic/elasticsearch')>('@elastic/elasticsearch', 'elasticsearchModule({ node })');
      client = new ClientClass({
        node: options.node,
        ...(options.auth ? { auth: options.auth } : {}),
        requestTimeout: options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS,
      });
      const owned = client;
      bind<Closeable>(TOKENS.Closeable).toConstantValue({ close: () => owned.close() });
    }
    const settings: ElasticsearchStoreSettings = { ...options };
    const connectors = new ElasticsearchConnectorStore(client, settings);
    const jobs = new ElasticsearchSyncJobStore(client, settings);
    bind<ConnectorStore>(TOKENS.ConnectorStore).toConstantValue(connectors);
    bind<ConnectorLookup>(TOKENS.ConnectorLookup).toConstantValue(connectors);
    bind<SyncJobStore>(TOKENS.SyncJobStore).toConstantValue(jobs);
    bind<SyncJobQueue>(TOKENS.SyncJobQueue).toConstantValue(new ElasticsearchSyncJobQueue(client, connectors, settings));
    bind<() => Promise<void>>(TOKENS.Initializer).toConstantValue(() => jobs.ensureIndices());
  });
}
