/**
 * Inversify service identifiers. Symbols from the global registry, so two copies of the
 * library in one process still agree on them.
 */
export const TOKENS = {
  /** {@link ConnectorLookup}: read connectors. */
  ConnectorLookup: Symbol.for('connector-sync-jobs.ConnectorLookup'),
  /** {@link ConnectorStore}: read and write connectors. */
  ConnectorStore: Symbol.for('connector-sync-jobs.ConnectorStore'),
  /** {@link SyncJobStore}: store and read sync jobs. */
  SyncJobStore: Symbol.for('connector-sync-jobs.SyncJobStore'),
  /** {@link Clock}. */
  Clock: Symbol.for('connector-sync-jobs.Clock'),
  /** {@link IdGenerator}. */
  IdGenerator: Symbol.for('connector-sync-jobs.IdGenerator'),
  /** {@link CreateSyncJobSettings}. */
  CreateSyncJobSettings: Symbol.for('connector-sync-jobs.CreateSyncJobSettings'),
  /** The CreateSyncJob use case. */
  CreateSyncJob: Symbol.for('connector-sync-jobs.CreateSyncJob'),
  /** The GetSyncJob use case. */
  GetSyncJob: Symbol.for('connector-sync-jobs.GetSyncJob'),
  /** {@link SyncJobQueue}: claim the next job, wait for work, find jobs to sweep. */
  SyncJobQueue: Symbol.for('connector-sync-jobs.SyncJobQueue'),
  /** The ClaimNextSyncJob use case. */
  ClaimNextSyncJob: Symbol.for('connector-sync-jobs.ClaimNextSyncJob'),
  /** The SweepSyncJobs use case. */
  SweepSyncJobs: Symbol.for('connector-sync-jobs.SweepSyncJobs'),
  /** The ListSyncJobs use case. */
  ListSyncJobs: Symbol.for('connector-sync-jobs.ListSyncJobs'),
  /** The DeleteSyncJob use case. */
  DeleteSyncJob: Symbol.for('connector-sync-jobs.DeleteSyncJob'),
  /** The CancelSyncJob use case. */
  CancelSyncJob: Symbol.for('connector-sync-jobs.CancelSyncJob'),
  /** The CheckInSyncJob use case. */
  CheckInSyncJob: Symbol.for('connector-sync-jobs.CheckInSyncJob'),
  /** The ClaimSyncJob use case. */
  ClaimSyncJob: Symbol.for('connector-sync-jobs.ClaimSyncJob'),
  /** The CompleteSyncJob use case. */
  CompleteSyncJob: Symbol.for('connector-sync-jobs.CompleteSyncJob'),
  /** The SuspendSyncJob use case. */
  SuspendSyncJob: Symbol.for('connector-sync-jobs.SuspendSyncJob'),
  /** The ErrorSyncJob use case. */
  ErrorSyncJob: Symbol.for('connector-sync-jobs.ErrorSyncJob'),
  /** The UpdateSyncJobStats use case. */
  UpdateSyncJobStats: Symbol.for('connector-sync-jobs.UpdateSyncJobStats'),
  /** Multi-bound {@link Closeable}s the storage adapters opened; `closeContainer` closes them. */
  Closeable: Symbol.for('connector-sync-jobs.Closeable'),
  /** An async initialiser (migrations, index setup) a storage adapter needs before use. */
  Initializer: Symbol.for('connector-sync-jobs.Initializer'),
} as const;
