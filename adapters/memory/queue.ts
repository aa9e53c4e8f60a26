import { WorkNotifier, claimSyncJob, compareClaimOrder, isClaimable, isIdle, SWEEPABLE_SYNC_STATUSES } from '../../src/index.js';
import type {
  ClaimNextFilters,
  ClaimSyncJobCommand,
  Instant,
  SweepCandidates,
  SyncJob,
  SyncJobQueue,
  WorkWatch,
  SyncJobDecision,
} from '../../src/index.js';

/** What the queue needs of the memory job store (`MemorySyncJobStore`). */
export interface ScannableJobStore {
  storedJobs(): IterableIterator<SyncJob>;
  onClaimable(listener: () => void): () => void;
  update(id: string, decide: SyncJobDecision): Promise<SyncJob | null>;
}

/** What the queue needs of the memory connector store (`MemoryConnectorStore`). */
export interface ConnectorLiveness {
  isLive(id: string): boolean;
}

/**
 * The worker side on the memory store. `claimNext` scans and claims in ONE synchronous turn
 * (the scan and the store's update run before the first await), so nothing interleaves;
 * watches wake on the store's event when a job becomes claimable.
 */
export class MemorySyncJobQueue implements SyncJobQueue {
  private readonly notifier = new WorkNotifier();

  constructor(
    private readonly jobs: ScannableJobStore,
    private readonly connectors?: ConnectorLiveness,
  ) {
    jobs.onClaimable(() => this.notifier.notify());
  }

  claimNext(filters: ClaimNextFilters, command: ClaimSyncJobCommand, now: Instant): Promise<SyncJob | null> {
    let best: SyncJob | undefined;
    for (const job of this.jobs.storedJobs()) {
      if (isClaimable(job, filters) && (best === undefined || compareClaimOrder(job, best) < 0)) best = job;
    }
    if (best === undefined) return Promise.resolve(null);
    // MemorySyncJobStore.update reads, decides and writes before its first await: still this turn.
    return this.jobs.update(best.id, (current) => claimSyncJob(current, command, now));
  }

  async watch(): Promise<WorkWatch> {
    return this.notifier.open();
  }

  async findSweepCandidates(idleBefore: Instant, limit: number): Promise<SweepCandidates> {
    const idle: string[] = [];
    const orphaned: string[] = [];
    for (const job of this.jobs.storedJobs()) {
      if (!SWEEPABLE_SYNC_STATUSES.includes(job.status)) continue;
      if (this.connectors && !this.connectors.isLive(job.connector.id)) {
        if (orphaned.length < limit) orphaned.push(job.id);
      } else if (isIdle(job, idleBefore) && idle.length < limit) idle.push(job.id);
    }
    return { idle, orphaned };
  }
}
