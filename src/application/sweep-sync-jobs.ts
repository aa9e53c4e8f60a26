import { DEFAULT_IDLE_THRESHOLD_MS, sweepIdleSyncJobPlan, sweepOrphanedSyncJobPlan } from '../domain/index.js';
import type { SyncJobPlan } from '../domain/index.js';
import type { Clock, SyncJobQueue, SyncJobStore } from '../ports/index.js';

/** Options of one sweep. */
export interface SweepOptions {
  /** A job not seen for longer than this is idle, milliseconds. Default 300000 (Python's 5 minutes). */
  idleThresholdMs?: number;
  /** Most jobs of each kind looked at in one sweep. Default 1000. */
  limit?: number;
}

/** What one sweep moved to error. */
export interface SweepResult {
  /** Jobs moved to error because their connector is missing or soft-deleted. */
  orphaned: string[];
  /** Jobs moved to error because their `last_seen` was too old. */
  idle: string[];
}

/**
 * The sweeper, as the Python framework's `JobCleanUpService`: first in_progress /
 * canceling jobs whose connector is missing or soft-deleted, then in_progress / canceling jobs
 * not seen for `idleThresholdMs`, each moved to `error` with `IDLE_JOB_ERROR` through the store's
 * atomic `apply`. The plan is re-checked on the job as stored, so a check-in that lands
 * first wins (the job is then left alone and not reported). Storage failures propagate
 * (StorageUnavailableError); a job deleted meanwhile is skipped. Run it on an interval
 * (`npm start` with `SWEEP_INTERVAL`) or call it from the host's own scheduler.
 */
export class SweepSyncJobs {
  constructor(
    private readonly jobs: SyncJobStore,
    private readonly queue: SyncJobQueue,
    private readonly clock: Clock,
  ) {}

  async execute(options: SweepOptions = {}): Promise<SweepResult> {
    const threshold = options.idleThresholdMs ?? DEFAULT_IDLE_THRESHOLD_MS;
    if (!Number.isFinite(threshold) || threshold < 0) throw new RangeError(`idleThresholdMs must be >= 0, got ${threshold}`);
    const now = this.clock.now();
    const idleBefore = now.plusMicros(-Math.round(threshold * 1000));
    const candidates = await this.queue.findSweepCandidates(idleBefore, options.limit ?? 1000);
    const result: SweepResult = { orphaned: [], idle: [] };
    const orphanedPlan = sweepOrphanedSyncJobPlan(now);
    for (const id of candidates.orphaned) {
      if (await this.applied(id, orphanedPlan)) result.orphaned.push(id);
    }
    const idlePlan = sweepIdleSyncJobPlan(idleBefore, now);
    for (const id of candidates.idle) {
      if (await this.applied(id, idlePlan)) result.idle.push(id);
    }
    return result;
  }

  /** True when the plan changed the job (a job deleted meanwhile, or left alone, is false). */
  private async applied(id: string, plan: SyncJobPlan): Promise<boolean> {
    return (await this.jobs.apply(id, plan))?.result === 'updated';
  }
}

/** Options of {@link scheduleSweeps}. */
export interface SweepScheduleOptions extends SweepOptions {
  /** Pause between the end of one sweep and the start of the next, milliseconds (> 0). */
  intervalMs: number;
  /** Each sweep's result (e.g. to log what was moved to error). */
  onResult?: (result: SweepResult) => void;
  /** A sweep that failed (StorageUnavailableError, ...); the schedule goes on. */
  onError: (error: unknown) => void;
}

/** A running schedule. */
export interface SweepSchedule {
  /** Stops the schedule; resolves once a sweep in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `sweep` now and then every `intervalMs` after the previous run ended (runs never
 * overlap), until stopped. What `npm start` runs when `SWEEP_INTERVAL` is set; a host can use it
 * or call `SweepSyncJobs.execute` from its own scheduler.
 */
export function scheduleSweeps(sweep: SweepSyncJobs, options: SweepScheduleOptions): SweepSchedule {
  if (!(options.intervalMs > 0)) throw new RangeError(`intervalMs must be > 0, got ${options.intervalMs}`);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = (): void => {
    timer = undefined;
    running = sweep.execute(options).then(
      (result) => options.onResult?.(result),
      (error: unknown) => options.onError(error),
    ).then(() => {
      if (!stopped) timer = setTimeout(run, options.intervalMs);
    });
  };
  run();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
