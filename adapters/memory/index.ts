import { ContainerModule } from 'inversify';
import {
  ConflictError,
  ConnectorNotFoundError,
  ACTIVE_SYNC_STATUSES,
  Instant,
  MAX_LIST_COUNT,
  CLAIMABLE_SYNC_STATUSES,
  TOKENS,
  applyPlan,
  changedSyncJobFields,
  isRunning,
  jobClassOf,
  syncGoneInfo,
  syncInfoAfter,
  withSyncInfo,
} from '../../src/index.js';
import { SnapshotCache, freezeConnector, freezeSyncJob, handOut } from './isolation.js';
import type {
  ConnectorLookup,
  ConnectorRecord,
  ConnectorStore,
  DeleteConnectorOptions,
  IdempotencyRecord,
  InsertOptions,
  InsertResult,
  SyncJob,
  SyncJobPlan,
  SyncJobStore,
  SyncJobUpdate,
  ConnectorSyncInfo,
  SyncJobListQuery,
  SyncJobListResult,
  UpsertResult,
} from '../../src/index.js';
import type { SyncJobQueue } from '../../src/index.js';
import { MemorySyncJobQueue } from './queue.js';

export { MemorySyncJobQueue } from './queue.js';

/**
 * Connectors in a Map. A record is deep-frozen once, at upsert; reads hand out that frozen
 * record, so a create's snapshot shares its configuration instead of copying it.
 */
export class MemoryConnectorStore implements ConnectorStore {
  private readonly connectors = new Map<string, ConnectorRecord>();
  /** The job store whose jobs `delete` with `deleteSyncJobs` removes (set by its constructor). */
  jobs?: MemorySyncJobStore;

  async findById(id: string): Promise<ConnectorRecord | null> {
    return this.connectors.get(id) ?? null;
  }

  async upsert(connector: ConnectorRecord): Promise<UpsertResult> {
    const existed = this.connectors.has(connector.id);
    this.connectors.set(connector.id, freezeConnector(connector));
    return existed ? 'updated' : 'created';
  }

  /** Soft or hard delete, and the connector's jobs with it, in one JavaScript turn (atomic). */
  async delete(id: string, options: DeleteConnectorOptions = {}): Promise<void> {
    const c = this.connectors.get(id);
    if (!c || (c.deleted && options.hard !== true)) throw new ConnectorNotFoundError(id);
    if (options.hard === true) this.connectors.delete(id);
    else this.connectors.set(id, freezeConnector({ ...c, deleted: true }));
    if (options.deleteSyncJobs === true) this.jobs?.removeByConnector(id);
  }

  /**
   * Writes a job's sync info over the connector, in the caller's turn; a missing or soft-deleted
   * connector is left alone.
   */
  writeSyncInfo(id: string, info: ConnectorSyncInfo): void {
    const c = this.connectors.get(id);
    if (c && !c.deleted) this.connectors.set(id, freezeConnector(withSyncInfo(c, info)));
  }

  /** Synchronous check used by the job store for the no-orphan rule. */
  isLive(id: string): boolean {
    const c = this.connectors.get(id);
    return c !== undefined && !c.deleted;
  }
}

/**
 * Sync jobs in a Map, each kept with a deep-frozen snapshot and metadata (./isolation.ts); reads
 * and updates hand out a new top-level object around those frozen parts. Every rule of the SyncJobStore contract holds: a single JavaScript turn
 * checks and writes, so the idempotency and one-active-job rules are atomic.
 */
export class MemorySyncJobStore implements SyncJobStore {
  private readonly jobs = new Map<string, SyncJob>();
  private readonly idempotency = new Map<string, IdempotencyRecord>();
  private readonly claimableListeners = new Set<(job: SyncJob) => void>();
  /** Frozen snapshots kept lately: jobs of an unchanged connector share one. */
  private readonly snapshots = new SnapshotCache();

  /** With a connector store, a job whose connector is gone or soft-deleted is refused (no orphans). */
  constructor(private readonly connectors?: MemoryConnectorStore) {
    // the connector store's delete_sync_jobs removes this store's jobs
    if (connectors) connectors.jobs = this;
  }

  async insert(job: SyncJob, options: InsertOptions = {}): Promise<InsertResult> {
    const claim = options.idempotency;
    if (claim) {
      const earlier = this.idempotency.get(claim.key);
      if (earlier) {
        if (earlier.fingerprint !== claim.fingerprint) throw ConflictError.idempotencyMismatch(claim.key);
        const stored = this.jobs.get(earlier.jobId);
        if (stored) return { job: handOut(stored), created: false };
      }
    }
    if (this.jobs.has(job.id)) throw ConflictError.duplicateId(job.id);
    if (this.connectors && !this.connectors.isLive(job.connector.id)) {
      throw new ConnectorNotFoundError(job.connector.id);
    }
    if (options.oneActivePerClass) {
      const cls = jobClassOf(job.jobType);
      for (const other of this.jobs.values()) {
        if (
          other.connector.id === job.connector.id &&
          jobClassOf(other.jobType) === cls &&
          ACTIVE_SYNC_STATUSES.includes(other.status)
        ) {
          throw ConflictError.activeJobExists(job.connector.id, cls, other.id);
        }
      }
    }
    const stored = freezeSyncJob(job, this.snapshots);
    this.jobs.set(job.id, stored);
    if (claim) this.idempotency.set(claim.key, { fingerprint: claim.fingerprint, jobId: job.id });
    if (CLAIMABLE_SYNC_STATUSES.includes(stored.status)) this.emitClaimable(stored);
    // the caller gets what the store keeps (frozen parts), never its own object: the store keeps
    // nothing the caller can still change
    return { job: handOut(stored), created: true };
  }

  async get(id: string): Promise<SyncJob | null> {
    const job = this.jobs.get(id);
    return job ? handOut(job) : null;
  }

  async findIdempotencyKey(key: string): Promise<IdempotencyRecord | null> {
    const r = this.idempotency.get(key);
    return r ? { ...r } : null;
  }

  /** Read, apply and write (the job, then the connector's sync info) in one synchronous turn: nothing can interleave. */
  async apply(id: string, plan: SyncJobPlan): Promise<SyncJobUpdate | null> {
    const stored = this.jobs.get(id);
    if (!stored) return null;
    const { job: next, result } = applyPlan(stored, plan);
    if (changedSyncJobFields(stored, next).length === 0) return { job: handOut(stored), result };
    const kept = freezeSyncJob(next);
    this.jobs.set(id, kept);
    const info = syncInfoAfter(plan, kept);
    if (info) this.connectors?.writeSyncInfo(kept.connector.id, info);
    if (kept.status !== stored.status && CLAIMABLE_SYNC_STATUSES.includes(kept.status)) this.emitClaimable(kept);
    return { job: handOut(kept), result };
  }

  async list(query: SyncJobListQuery): Promise<SyncJobListResult> {
    const types = query.jobTypes && query.jobTypes.length > 0 ? query.jobTypes : undefined;
    const matches = [...this.jobs.values()].filter(
      (j) =>
        (query.connectorId === undefined || j.connector.id === query.connectorId) &&
        (query.status === undefined || j.status === query.status) &&
        (types === undefined || types.includes(j.jobType)),
    );
    matches.sort((a, b) => b.createdAt.compareTo(a.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { count: Math.min(matches.length, MAX_LIST_COUNT), results: matches.slice(query.from, query.from + query.size).map(handOut) };
  }

  /**
   * Removes the job and every idempotency key bound to it; a running job's connector gets
   * {@link syncGoneInfo} in the same turn.
   */
  async delete(id: string, now: Instant = Instant.fromDate(new Date())): Promise<boolean> {
    const job = this.jobs.get(id);
    if (!job) return false;
    this.jobs.delete(id);
    if (isRunning(job)) this.connectors?.writeSyncInfo(job.connector.id, syncGoneInfo(job, now));
    for (const [key, record] of this.idempotency) if (record.jobId === id) this.idempotency.delete(key);
    return true;
  }

  /** The stored (deep-frozen) jobs, for the queue's one-turn scan (adapters/memory/queue.ts). */
  storedJobs(): IterableIterator<SyncJob> {
    return this.jobs.values();
  }

  /** Calls `listener` whenever a job becomes claimable (created pending, moved to pending or suspended). Returns the unsubscribe. */
  onClaimable(listener: (job: SyncJob) => void): () => void {
    this.claimableListeners.add(listener);
    return () => this.claimableListeners.delete(listener);
  }

  /** The stored (deep-frozen) job, synchronously (the queue's one-turn claim). */
  storedJob(id: string): SyncJob | undefined {
    return this.jobs.get(id);
  }

  private emitClaimable(job: SyncJob): void {
    if (this.claimableListeners.size === 0) return;
    for (const l of this.claimableListeners) l(job);
  }

  /** Removes every job of a connector, and the idempotency keys naming them; returns how many jobs. */
  removeByConnector(connectorId: string): number {
    let n = 0;
    for (const [id, job] of this.jobs) {
      if (job.connector.id === connectorId) {
        this.jobs.delete(id);
        n++;
      }
    }
    for (const [key, r] of this.idempotency) if (!this.jobs.has(r.jobId)) this.idempotency.delete(key);
    return n;
  }

  /** How many jobs are stored (tests, benchmarks). */
  get size(): number {
    return this.jobs.size;
  }
}

/** The memory storage module: connector store, connector lookup and sync job store, one of each per container. */
export function memoryModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const connectors = new MemoryConnectorStore();
    const jobs = new MemorySyncJobStore(connectors);
    bind<ConnectorStore>(TOKENS.ConnectorStore).toConstantValue(connectors);
    bind<ConnectorLookup>(TOKENS.ConnectorLookup).toConstantValue(connectors);
    bind<SyncJobStore>(TOKENS.SyncJobStore).toConstantValue(jobs);
    bind<SyncJobQueue>(TOKENS.SyncJobQueue).toConstantValue(new MemorySyncJobQueue(jobs, connectors));
  });
}
