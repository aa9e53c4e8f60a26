import type { AbstractNewable } from 'inversify';
import type {
  CancelSyncJob,
  CheckInSyncJob,
  ClaimNextSyncJob,
  ClaimSyncJob,
  CreateSyncJob,
  DeleteSyncJob,
  CompleteSyncJob,
  ErrorSyncJob,
  GetSyncJob,
  ListSyncJobs,
  SuspendSyncJob,
  SweepSyncJobs,
  UpdateSyncJobStats,
} from './application/index.js';
import type { ConnectorSyncJobs } from './facade/connector-sync-jobs.js';
import type {
  Clock,
  Closeable,
  ConnectorLookup,
  ConnectorStore,
  CreateSyncJobSettings,
  IdGenerator,
  SyncJobQueue,
  SyncJobStore,
} from './ports/index.js';

/**
 * An Inversify service identifier tied to the type it resolves to: `container.get(TOKENS.CreateSyncJob)`
 * is a `CreateSyncJob` without a type argument, and `container.get<CancelSyncJob>(TOKENS.CreateSyncJob)`
 * does not compile. At run time every token is a symbol from the global registry
 * (`Symbol.for('connector-sync-jobs.<Name>')`, so two copies of the library in one process agree);
 * its type is an abstract constructor of `T` because that is the member of Inversify's
 * `ServiceIdentifier<T>` union that carries `T` (a `symbol` type carries none). Never call `new`
 * on it nor test it with `typeof`; pass it to `get`, `getAll`, `bind`, `isBound`.
 */
export type ServiceToken<T> = AbstractNewable<T>;

const token = <T>(name: string): ServiceToken<T> => Symbol.for(`connector-sync-jobs.${name}`) as unknown as ServiceToken<T>;

/**
 * Inversify service identifiers, each typed with what it resolves to ({@link ServiceToken}).
 * Symbols from the global registry, so two copies of the library in one process still agree on them.
 */
export const TOKENS = {
  /** {@link ConnectorLookup}: read connectors. */
  ConnectorLookup: token<ConnectorLookup>('ConnectorLookup'),
  /** {@link ConnectorStore}: read and write connectors. */
  ConnectorStore: token<ConnectorStore>('ConnectorStore'),
  /** {@link SyncJobStore}: store and read sync jobs. */
  SyncJobStore: token<SyncJobStore>('SyncJobStore'),
  /** {@link Clock}. */
  Clock: token<Clock>('Clock'),
  /** {@link IdGenerator}. */
  IdGenerator: token<IdGenerator>('IdGenerator'),
  /** {@link CreateSyncJobSettings}. */
  CreateSyncJobSettings: token<CreateSyncJobSettings>('CreateSyncJobSettings'),
  /** The CreateSyncJob use case. */
  CreateSyncJob: token<CreateSyncJob>('CreateSyncJob'),
  /** The GetSyncJob use case. */
  GetSyncJob: token<GetSyncJob>('GetSyncJob'),
  /** {@link SyncJobQueue}: claim the next job, wait for work, find jobs to sweep. */
  SyncJobQueue: token<SyncJobQueue>('SyncJobQueue'),
  /** The ClaimNextSyncJob use case. */
  ClaimNextSyncJob: token<ClaimNextSyncJob>('ClaimNextSyncJob'),
  /** The SweepSyncJobs use case. */
  SweepSyncJobs: token<SweepSyncJobs>('SweepSyncJobs'),
  /** The ListSyncJobs use case. */
  ListSyncJobs: token<ListSyncJobs>('ListSyncJobs'),
  /** The DeleteSyncJob use case. */
  DeleteSyncJob: token<DeleteSyncJob>('DeleteSyncJob'),
  /** The CancelSyncJob use case. */
  CancelSyncJob: token<CancelSyncJob>('CancelSyncJob'),
  /** The CheckInSyncJob use case. */
  CheckInSyncJob: token<CheckInSyncJob>('CheckInSyncJob'),
  /** The ClaimSyncJob use case. */
  ClaimSyncJob: token<ClaimSyncJob>('ClaimSyncJob'),
  /** The ErrorSyncJob use case. */
  ErrorSyncJob: token<ErrorSyncJob>('ErrorSyncJob'),
  /** The CompleteSyncJob use case. */
  CompleteSyncJob: token<CompleteSyncJob>('CompleteSyncJob'),
  /** The SuspendSyncJob use case. */
  SuspendSyncJob: token<SuspendSyncJob>('SuspendSyncJob'),
  /** The UpdateSyncJobStats use case. */
  UpdateSyncJobStats: token<UpdateSyncJobStats>('UpdateSyncJobStats'),
  /** The typed facade ({@link ConnectorSyncJobs}): `container.get(TOKENS.SyncJobs).jobs.create({ connectorId })`. */
  SyncJobs: token<ConnectorSyncJobs>('SyncJobs'),
  /** Multi-bound {@link Closeable}s the storage adapters opened; `closeContainer` closes them. */
  Closeable: token<Closeable>('Closeable'),
  /** An async initialiser (migrations, index setup) a storage adapter needs before use. */
  Initializer: token<() => Promise<void>>('Initializer'),
} as const;
