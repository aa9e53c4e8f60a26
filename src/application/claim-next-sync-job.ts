import { claimSyncJobPlan, parseClaimNextRequest } from '../domain/index.js';
import type { ClaimNextCommand, SyncJob } from '../domain/index.js';
import type { Clock, SyncJobQueue } from '../ports/index.js';

/** Options of one claim-next call. */
export interface ClaimNextOptions {
  /** Ends a wait early (client gone, server stopping): the call then resolves null. */
  signal?: AbortSignal;
}

/** Settings of {@link ClaimNextSyncJob}. */
export interface ClaimNextSettings {
  /**
   * While waiting, claim again at least this often even without a wake-up (a safety net for a
   * lost notification, e.g. while a LISTEN connection reconnects), milliseconds. Default 5000.
   */
  recheckMs?: number;
}

/**
 * Claims the next job for a worker (this project's extension, not an upstream API):
 * the oldest pending job, else the oldest suspended one, among those passing the filters,
 * claimed atomically by the store (`SyncJobQueue.claimNext`). With a wait, a worker that finds
 * nothing watches for new work (before it first looks, so nothing created meanwhile is missed)
 * and claims again on each wake-up until the wait ends.
 */
export class ClaimNextSyncJob {
  private readonly recheckMs: number;

  constructor(
    private readonly queue: SyncJobQueue,
    private readonly clock: Clock,
    settings: ClaimNextSettings = {},
  ) {
    this.recheckMs = settings.recheckMs ?? 5000;
  }

  /**
   * Parses the raw body (`parseClaimNextRequest`: worker_hostname, sync_cursor, filters,
   * wait_timeout) and claims. Resolves the claimed job, or null when none was claimable within
   * the wait (or the signal aborted it). Throws InvalidRequestError for a bad body (before any
   * storage access), StorageUnavailableError.
   */
  async execute(body: unknown, options: ClaimNextOptions = {}): Promise<SyncJob | null> {
    return this.claim(parseClaimNextRequest(body), options);
  }

  /** The same with an already-parsed command (library hosts). `waitMs` 0: one attempt. */
  async claim(command: ClaimNextCommand, options: ClaimNextOptions = {}): Promise<SyncJob | null> {
    const claimCommand = command.syncCursor === undefined
      ? { workerHostname: command.workerHostname }
      : { workerHostname: command.workerHostname, syncCursor: command.syncCursor };
    const attempt = () => this.queue.claimNext(command.filters, claimSyncJobPlan(claimCommand, this.clock.now()));
    const signal = options.signal;
    if (command.waitMs <= 0 || signal?.aborted) return attempt();
    const deadline = performance.now() + command.waitMs;
    const watch = await this.queue.watch(command.waitMs);
    try {
      for (;;) {
        const job = await attempt();
        if (job) return job;
        const remaining = deadline - performance.now();
        if (remaining <= 0 || signal?.aborted) return null;
        await watch.next(Math.min(remaining, this.recheckMs), signal);
        if (signal?.aborted) return null;
      }
    } finally {
      watch.close();
    }
  }
}
