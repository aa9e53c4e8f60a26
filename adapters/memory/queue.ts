import { WorkNotifier, compareClaimOrder, isClaimable, isIdle, SWEEPABLE_SYNC_STATUSES } from '../../src/index.js';
import type { ClaimNextFilters, Instant, SweepCandidates, SyncJob, SyncJobPlan, SyncJobQueue, SyncJobUpdate, WorkWatch } from '../../src/index.js';

/** What the queue needs of the memory job store (`MemorySyncJobStore`). */
export interface ScannableJobStore {
  storedJobs(): IterableIterator<SyncJob>;
  storedJob(id: string): SyncJob | undefined;
  onClaimable(listener: (job: SyncJob) => void): () => void;
  apply(id: string, plan: SyncJobPlan): Promise<SyncJobUpdate | null>;
}

/** What the queue needs of the memory connector store (`MemoryConnectorStore`). */
export interface ConnectorLiveness {
  isLive(id: string): boolean;
}

/**
 * The worker side on the memory store. `claimNext` finds and claims in ONE synchronous turn
 * (the search and the store's apply run before the first await), so nothing interleaves;
 * watches wake on the store's event when a job becomes claimable. Candidates are kept in claim
 * order (built by one scan, then kept up by the store's event); an entry whose job has since
 * changed status or gone is dropped when met, so the list never decides, the stored job does.
 */
export class MemorySyncJobQueue implements SyncJobQueue {
  private readonly notifier = new WorkNotifier();
  private order: SyncJob[] | undefined;

  constructor(
    private readonly jobs: ScannableJobStore,
    private readonly connectors?: ConnectorLiveness,
  ) {
    jobs.onClaimable((job) => {
      if (this.order) this.order.splice(this.insertionPoint(job), 0, job);
      this.notifier.notify();
    });
  }

  private insertionPoint(job: SyncJob): number {
    const order = this.order!;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareClaimOrder(order[mid]!, job) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  claimNext(filters: ClaimNextFilters, plan: SyncJobPlan): Promise<SyncJob | null> {
    if (!this.order) this.order = [...this.jobs.storedJobs()].filter((j) => isClaimable(j, {})).sort(compareClaimOrder);
    const order = this.order;
    for (let i = 0; i < order.length; ) {
      const entry = order[i]!;
      const current = this.jobs.storedJob(entry.id);
      // gone, or no longer in the status this entry was filed under (a newer entry files it anew)
      if (!current || current.status !== entry.status || !isClaimable(current, {})) {
        order.splice(i, 1);
        continue;
      }
      if (!isClaimable(current, filters)) {
        i++;
        continue;
      }
      order.splice(i, 1);
      // MemorySyncJobStore.apply reads, applies and writes before its first await: still this turn.
      return this.jobs.apply(current.id, plan).then((update) => update && update.job);
    }
    return Promise.resolve(null);
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
