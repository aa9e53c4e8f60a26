import type { Container } from 'inversify';
import { Connectors, SyncJobs } from './sync-jobs.js';
import type { Resolve } from './sync-jobs.js';
import { TOKENS } from '../tokens.js';
import type { ServiceToken } from '../tokens.js';

/**
 * The library's typed facade, resolved once from a container: `const api =
 * container.get(TOKENS.SyncJobs)` (or {@link connectorSyncJobs}`(container)`), then
 * `api.jobs.create({ connectorId })`, `api.jobs.claimNext({ workerHostname, waitMs })`,
 * `api.connectors.upsert(record)`. Each use case is resolved from the container on its first
 * call, so a container without a SyncJobQueue still creates and reads jobs (only `claimNext` and
 * `sweep` need one).
 */
export class ConnectorSyncJobs {
  /** The sync job operations. */
  readonly jobs: SyncJobs;
  /** The connector operations. */
  readonly connectors: Connectors;

  constructor(resolve: Resolve) {
    const cache = new Map<unknown, unknown>();
    function once<T>(token: ServiceToken<T>): T {
      if (!cache.has(token)) cache.set(token, resolve(token));
      return cache.get(token) as T;
    }
    this.jobs = new SyncJobs(once);
    this.connectors = new Connectors(once);
  }
}

/** `container.get(TOKENS.SyncJobs)`: the typed facade of a container loaded with `coreModule` and a storage module. */
export function connectorSyncJobs(container: Container): ConnectorSyncJobs {
  return container.get(TOKENS.SyncJobs);
}
