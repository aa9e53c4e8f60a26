import { Container, ContainerModule } from 'inversify';
import {
  CancelSyncJob,
  CheckInSyncJob,
  ClaimNextSyncJob,
  ClaimSyncJob,
  CreateSyncJob,
  DeleteSyncJob,
  ErrorSyncJob,
  CompleteSyncJob,
  SuspendSyncJob,
  GetSyncJob,
  ListSyncJobs,
  SweepSyncJobs,
  UpdateSyncJobStats,
} from './application/index.js';
import { ElasticsearchIdGenerator } from './defaults/elasticsearch-id-generator.js';
import { SystemClock } from './defaults/system-clock.js';
import { TOKENS } from './tokens.js';
import type { ServiceToken } from './tokens.js';
import { ConnectorSyncJobs } from './facade/connector-sync-jobs.js';
import type {
  Clock,
  Closeable,
  ConnectorLookup,
  CreateSyncJobSettings,
  IdGenerator,
  SyncJobQueue,
  SyncJobStore,
} from './ports/index.js';

/** Options of the core module. */
export interface CoreModuleOptions {
  /** Spec section 4: one active job per connector and job class (default off, as upstream). */
  oneActiveJobPerClass?: boolean;
  /** Replace the wall clock (tests, simulations). */
  clock?: Clock;
  /** Replace the Elasticsearch-shaped id generator. */
  idGenerator?: IdGenerator;
}

/**
 * The core module: clock, id generator, settings and the use cases. A storage adapter's
 * module supplies ConnectorLookup, ConnectorStore and SyncJobStore.
 */
export function coreModule(options: CoreModuleOptions = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const clock = options.clock;
    if (clock) bind<Clock>(TOKENS.Clock).toConstantValue(clock);
    else bind<Clock>(TOKENS.Clock).to(SystemClock).inSingletonScope();
    const ids = options.idGenerator;
    bind<IdGenerator>(TOKENS.IdGenerator)
      .toResolvedValue(() => ids ?? new ElasticsearchIdGenerator())
      .inSingletonScope();
    bind<CreateSyncJobSettings>(TOKENS.CreateSyncJobSettings).toConstantValue({
      oneActiveJobPerClass: options.oneActiveJobPerClass === true,
    });
    bind<CreateSyncJob>(TOKENS.CreateSyncJob)
      .toResolvedValue(
        (connectors: ConnectorLookup, jobs: SyncJobStore, c: Clock, i: IdGenerator, s: CreateSyncJobSettings) =>
          new CreateSyncJob(connectors, jobs, c, i, s),
        [TOKENS.ConnectorLookup, TOKENS.SyncJobStore, TOKENS.Clock, TOKENS.IdGenerator, TOKENS.CreateSyncJobSettings],
      )
      .inSingletonScope();
    bind<GetSyncJob>(TOKENS.GetSyncJob)
      .toResolvedValue((jobs: SyncJobStore) => new GetSyncJob(jobs), [TOKENS.SyncJobStore])
      .inSingletonScope();
    // Worker side: needs the storage module's SyncJobQueue.
    bind<ClaimNextSyncJob>(TOKENS.ClaimNextSyncJob)
      .toResolvedValue((q: SyncJobQueue, c: Clock) => new ClaimNextSyncJob(q, c), [TOKENS.SyncJobQueue, TOKENS.Clock])
      .inSingletonScope();
    bind<SweepSyncJobs>(TOKENS.SweepSyncJobs)
      .toResolvedValue(
        (jobs: SyncJobStore, q: SyncJobQueue, c: Clock) => new SweepSyncJobs(jobs, q, c),
        [TOKENS.SyncJobStore, TOKENS.SyncJobQueue, TOKENS.Clock],
      )
      .inSingletonScope();
    bind<ListSyncJobs>(TOKENS.ListSyncJobs)
      .toResolvedValue((jobs: SyncJobStore) => new ListSyncJobs(jobs), [TOKENS.SyncJobStore])
      .inSingletonScope();
    bind<DeleteSyncJob>(TOKENS.DeleteSyncJob)
      .toResolvedValue((jobs: SyncJobStore, clock: Clock) => new DeleteSyncJob(jobs, clock), [TOKENS.SyncJobStore, TOKENS.Clock])
      .inSingletonScope();
    const withClock = <T>(token: ServiceToken<T>, make: (jobs: SyncJobStore, clock: Clock) => T): void => {
      bind<T>(token).toResolvedValue(make, [TOKENS.SyncJobStore, TOKENS.Clock]).inSingletonScope();
    };
    withClock(TOKENS.CancelSyncJob, (jobs, c) => new CancelSyncJob(jobs, c));
    withClock(TOKENS.CheckInSyncJob, (jobs, c) => new CheckInSyncJob(jobs, c));
    withClock(TOKENS.ClaimSyncJob, (jobs, c) => new ClaimSyncJob(jobs, c));
    withClock(TOKENS.ErrorSyncJob, (jobs, c) => new ErrorSyncJob(jobs, c));
    withClock(TOKENS.CompleteSyncJob, (jobs, c) => new CompleteSyncJob(jobs, c));
    withClock(TOKENS.SuspendSyncJob, (jobs, c) => new SuspendSyncJob(jobs, c));
    withClock(TOKENS.UpdateSyncJobStats, (jobs, c) => new UpdateSyncJobStats(jobs, c));
    // the typed facade: each use case resolved on its first call (a container without a queue still creates jobs)
    bind(TOKENS.SyncJobs)
      .toDynamicValue((context) => new ConnectorSyncJobs((token) => context.get(token)))
      .inSingletonScope();
  });
}

/**
 * A container with the core module and the given adapter modules, for the common case.
 * Call {@link initializeContainer} before use when an adapter needs set-up (migrations).
 */
export function createContainer(...modules: ContainerModule[]): Container {
  const container = new Container();
  container.load(coreModule(), ...modules);
  return container;
}

/** Runs every bound initialiser (migrations, index creation), in binding order. */
export async function initializeContainer(container: Container): Promise<void> {
  if (!container.isBound(TOKENS.Initializer)) return;
  const inits = container.getAll<() => Promise<void>>(TOKENS.Initializer);
  for (const init of inits) await init();
}

/**
 * Closes what the adapters opened (pools, clients, embedded databases), never the host's own,
 * in reverse binding order. Every closeable is closed even when one fails (a queue that cannot
 * unregister from a database that is down must not leave the pool or the PGlite directory lock
 * open); then the failure is rethrown, or an `AggregateError` of all of them.
 */
export async function closeContainer(container: Container): Promise<void> {
  if (!container.isBound(TOKENS.Closeable)) return;
  const all = container.getAll<Closeable>(TOKENS.Closeable);
  const failures: unknown[] = [];
  for (const c of all.reverse()) {
    try {
      await c.close();
    } catch (error) {
      failures.push(error); // rethrown below, once everything else is closed
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `closing the container failed ${failures.length} times`);
}
