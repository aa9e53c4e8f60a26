import type { ClaimNextFilters, Instant, SyncJob, SyncJobPlan } from '../domain/index.js';

/**
 * Waits for new claimable work. Notifications that arrive after the watch was opened are kept
 * until the next `next()` (none is lost between a failed claim and the wait). Close it when done.
 */
export interface WorkWatch {
  /**
   * Resolves when work may have arrived since the last call (true), after `timeoutMs` (false),
   * or when `signal` aborts (false). Never rejects for a timeout or an abort.
   */
  next(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Stops watching; releases what the watch held. */
  close(): void;
}

/** Jobs the sweeper should look at (ids only; each is re-checked inside the atomic update). */
export interface SweepCandidates {
  /** in_progress / canceling jobs whose `last_seen` is at or before the cut-off. */
  idle: string[];
  /** in_progress / canceling jobs whose connector is missing or soft-deleted. */
  orphaned: string[];
}

/**
 * The worker side of a job store (this project's extension): claim the next job
 * atomically, wait for new work, find jobs to sweep. Bound by each storage module next to its
 * SyncJobStore, on the same storage. Every implementation passes `describeQueueContract` (`connector-sync-jobs/testing`, `src/testing/queue.contract.ts`).
 */
export interface SyncJobQueue {
  /**
   * Atomically claims the first claimable job (`CLAIMABLE_SYNC_STATUSES`, `compareClaimOrder`)
   * that passes `filters`, applying `plan` (the domain's `claimSyncJobPlan`: in_progress,
   * worker_hostname, started_at = last_seen = now, sync cursor merged) as `SyncJobStore.apply`
   * would, and returns it as stored; null when none is claimable. Concurrent calls never return the same job; a job
   * another caller holds is skipped, never waited on. StorageUnavailableError on storage failures.
   */
  claimNext(filters: ClaimNextFilters, plan: SyncJobPlan): Promise<SyncJob | null>;
  /**
   * Starts watching for new claimable work (a job created pending, or moved to pending or
   * suspended). Resolves once the watch is live: a job created after that wakes it (or, where a
   * store documents a bound for a create racing the watch's start, within that bound).
   * How each store wakes watchers (LISTEN/NOTIFY, an event, polling with backoff) is its own.
   * `waitMs`: how long the caller means to wait, milliseconds (a hint: a store that registers
   * its waiters, as PostgreSQL's does, keeps the registration that long; others ignore it).
   */
  watch(waitMs?: number): Promise<WorkWatch>;
  /** Ids of jobs to sweep: idle ones (last seen at or before `idleBefore`) and orphaned ones; at most `limit` of each. */
  findSweepCandidates(idleBefore: Instant, limit: number): Promise<SweepCandidates>;
}
