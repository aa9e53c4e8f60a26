import type { ConnectorLookup, ConnectorStore, SyncJobQueue, SyncJobStore } from '../index.js';

/** What a factory hands the suite: fresh, empty stores. */
export interface StoreHarness {
  connectors: ConnectorStore;
  /** The create use case's lookup when it is not `connectors` (a caching lookup, like PostgreSQL's). */
  lookup?: ConnectorLookup;
  jobs: SyncJobStore;
  /** Releases what the factory opened. */
  close?: () => Promise<void>;
  /** Counts stored jobs, to check that failures store nothing. */
  countJobs: () => Promise<number>;
  /**
   * True when the job store sees the connector store, so it refuses orphan jobs atomically
   * (memory, Postgres). False for stores that cannot (Elasticsearch has no transactions).
   */
  refusesOrphans: boolean;
  /**
   * False when the job store does not write the connector's sync info (a job store that cannot
   * see connectors); default true: the job's-end contract then checks it (spec section 8).
   */
  writesSyncInfo?: boolean;
  /** The worker queue on the same storage: the lifecycle model then also runs claim-next and sweep. */
  queue?: SyncJobQueue;
}
