/** connector-sync-jobs: Elasticsearch's Create connector sync job API as a hexagonal library. */
export * from './domain/index.js';
export * from './ports/index.js';
export * from './application/index.js';
export * from './codec/index.js';
export { SystemClock } from './defaults/system-clock.js';
export { ElasticsearchIdGenerator } from './defaults/elasticsearch-id-generator.js';
export { coreModule, createContainer, initializeContainer, closeContainer } from './container.js';
export type { CoreModuleOptions } from './container.js';
export { WorkNotifier } from './defaults/work-notifier.js';
