import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { PGliteInterface } from '@electric-sql/pglite';
import { SWEEPABLE_SYNC_STATUSES, WorkNotifier } from '../../src/index.js';
import type { ClaimNextFilters, Instant, SweepCandidates, SyncJob, SyncJobPlan, SyncJobQueue, WorkWatch } from '../../src/index.js';
import { translateError } from './errors.js';
import { CLAIMABLE_CHANNEL, WAITERS_TABLE } from './schema.js';
import type { Queryable } from './queryable.js';
import { claimNextSyncJob } from './sql/claim-next-sync-job.js';
import { namedOptions } from './statement-name.js';
import type { NamedOptions } from './statement-name.js';

/** Default of `recheckMs` (see {@link PostgresSyncJobQueue}), milliseconds. */
export const DEFAULT_RECHECK_MS = 1000;
/**
 * A registration lasts the wait plus this, milliseconds. The server computes the expiry (its
 * `clock_timestamp()` when the upsert runs, plus the lease), always later than the expiry this
 * process assumes (its clock before sending), so the margin only covers a slow round trip.
 */
const REGISTRATION_MARGIN_MS = 2000;
/** A registration is reused while it still covers the wait plus this, milliseconds (else it is renewed). */
const REGISTRATION_SLACK_MS = 1000;
/** How long a watch opened without a wait length keeps its registration, milliseconds (renewed by `next`). */
const DEFAULT_WATCH_MS = 60_000;

/**
 * Registers (or extends) a waiter: `until` never moves back. Also removes other listeners' rows
 * expired for over a minute (left by processes that crashed), so the table stays a few rows.
 */
const REGISTER_SQL = `WITH expired AS (
    DELETE FROM ${WAITERS_TABLE} WHERE until < clock_timestamp() - interval '1 minute' AND listener <> $1)
  INSERT INTO ${WAITERS_TABLE} (listener, until) VALUES ($1, clock_timestamp() + $2::int * interval '1 millisecond')
  ON CONFLICT (listener) DO UPDATE SET until = greatest(${WAITERS_TABLE}.until, EXCLUDED.until)`;

/**
 * Where notifications come from: `listen` subscribes to a channel and resolves once the
 * subscription is live, with the function that ends it. `onLost` is called when the
 * subscription dies (connection lost); the queue then listens again on the next wait.
 */
export interface NotificationSource {
  listen(channel: string, onNotify: () => void, onLost: (error: Error) => void): Promise<() => Promise<void>>;
}

/**
 * LISTEN on a dedicated connection checked out of the pool (callback form, with its error
 * listener attached at once). The connection is destroyed, never returned to the pool, when the
 * subscription ends or dies.
 */
export function poolNotifications(pool: Pool): NotificationSource {
  return {
    listen(channel, onNotify, onLost) {
      return new Promise((resolve, reject) => {
        pool.connect((connectError: Error | undefined, client: PoolClient | undefined, release: (destroy?: boolean | Error) => void) => {
          if (connectError || !client) {
            reject(translateError(connectError ?? new Error('no client'), 'listening for new sync jobs'));
            return;
          }
          let ended = false;
          const end = (error?: Error): void => {
            if (ended) return;
            ended = true;
            client.off('notification', onMessage);
            client.off('error', onError);
            release(error ?? true);
          };
          const onMessage = (msg: { channel: string }): void => {
            if (msg.channel === channel) onNotify();
          };
          const onError = (error: Error): void => {
            end(error);
            onLost(error);
          };
          client.on('error', onError);
          client.on('notification', onMessage);
          client.query(`LISTEN ${channel}`).then(
            () =>
              resolve(async () => {
                end();
              }),
            (error: unknown) => {
              end(error instanceof Error ? error : new Error(String(error)));
              reject(translateError(error, 'listening for new sync jobs'));
            },
          );
        });
      });
    },
  };
}

/** PGlite's in-process LISTEN: notifications are delivered after the statement that raised them. */
export function pgliteNotifications(db: PGliteInterface): NotificationSource {
  return {
    async listen(channel, onNotify) {
      try {
        const unlisten = await db.listen(channel, () => onNotify());
        return async () => {
          if (!db.closed) await unlisten();
        };
      } catch (error) {
        throw translateError(error, 'listening for new sync jobs');
      }
    },
  };
}

const SWEEPABLE = SWEEPABLE_SYNC_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * The worker side on PostgreSQL / PGlite.
 * - `claimNext` is the claim plan compiled to ONE statement whose target is the next claimable
 *   row, `FOR UPDATE SKIP LOCKED` (`sql/claim-next-sync-job.ts`).
 * - Wake-ups: the trigger of migration 4 NOTIFYs {@link CLAIMABLE_CHANNEL}, but
 *   only while a waiter is registered in {@link WAITERS_TABLE} (migration 7: a NOTIFY serialises
 *   every notifying commit of the cluster, so creates do not pay it when no worker waits). One
 *   LISTEN subscription per queue (a dedicated pool connection on a server, in-process on
 *   PGlite) fans out to the watches. `watch(waitMs)` first makes sure LISTEN is live, then makes
 *   sure this queue's registration (a random id per queue instance) lasts until at least the end
 *   of the wait plus 5 s, committed before the watch resolves (one upsert, skipped while the
 *   current registration already covers it); `close()` deletes it. If the subscription dies the
 *   watches are woken (they claim again) and the next wait listens again.
 * - The bound: a create whose trigger ran before a registration committed but which commits after
 *   the waiter's claim attempt sends no notification. So a watch's `next` resolves true at the
 *   latest after `recheckMs` (default {@link DEFAULT_RECHECK_MS}): the waiter claims again, and
 *   such a job is claimed within `recheckMs` of its commit.
 */
export class PostgresSyncJobQueue implements SyncJobQueue {
  private readonly notifier = new WorkNotifier();
  private listening: Promise<void> | undefined;
  private stopListening: (() => Promise<void>) | undefined;
  private closed = false;
  private claims = 0;
  private readonly vacuumEvery: number;
  private readonly recheckMs: number;
  /** Named (prepared) statements unless `preparedStatements` is false, as the job store's. */
  private readonly named: NamedOptions;
  /** This queue's row in {@link WAITERS_TABLE}. */
  private readonly listenerId = randomUUID();
  /** `performance.now()` until which the committed registration surely lasts (-Infinity: none). */
  private registeredUntil = Number.NEGATIVE_INFINITY;
  /** The latest registration in flight, and until when it will last. */
  private registering: { until: number; done: Promise<void> } | undefined;
  /** Every registration in flight (close() lets them land before it deletes the row). */
  private readonly inFlight = new Set<Promise<void>>();

  /**
   * `options.vacuumEveryClaims`: run `VACUUM sync_jobs` after that many claims (default 0: never).
   * For PGlite, which has no autovacuum: without it every claimed row leaves a dead entry at the
   * head of the claim-order index that each later claim scans past (claims slow down linearly).
   * `options.recheckMs`: the longest a watch's `next` waits before resolving true without a
   * notification, milliseconds (default {@link DEFAULT_RECHECK_MS}); bounds how late a job whose
   * create raced a waiter's registration is claimed.
   */
  constructor(
    private readonly db: Queryable,
    private readonly notifications?: NotificationSource,
    options: { vacuumEveryClaims?: number; recheckMs?: number; preparedStatements?: boolean } = {},
  ) {
    this.named = namedOptions(options.preparedStatements);
    this.vacuumEvery = options.vacuumEveryClaims ?? 0;
    this.recheckMs = options.recheckMs ?? DEFAULT_RECHECK_MS;
  }

  async claimNext(filters: ClaimNextFilters, plan: SyncJobPlan): Promise<SyncJob | null> {
    const claimed = await claimNextSyncJob(this.db, this.named, filters, plan);
    if (claimed && this.vacuumEvery > 0 && ++this.claims % this.vacuumEvery === 0) {
      try {
        await this.db.exec('VACUUM sync_jobs');
      } catch (error) {
        throw translateError(error, 'claiming the next sync job');
      }
    }
    return claimed;
  }

  /**
   * LISTEN is live and this queue is registered as a waiter when it resolves (for the first
   * `recheckMs` of the wait, at most `waitMs`, default 60 s); rejects with
   * StorageUnavailableError. The watch's `next(timeoutMs)` renews the registration, one
   * `recheckMs` at a time, only while the caller really waits: a claim-next that finds a job at
   * once leaves a registration of about `recheckMs` plus a margin (about 3 s), not of its whole
   * `wait_timeout`, so creates stop paying the NOTIFY soon after the workers stop waiting. `next`
   * resolves true at the latest after `recheckMs` (work may have arrived unannounced: see the
   * class comment).
   */
  async watch(waitMs: number = DEFAULT_WATCH_MS): Promise<WorkWatch> {
    await this.ensureListening();
    await this.register(Math.min(waitMs, this.recheckMs));
    const inner = this.notifier.open();
    return {
      next: async (timeoutMs, signal) => {
        // listens again after a lost connection (a failure is StorageUnavailableError)
        await this.ensureListening();
        const wait = Math.min(timeoutMs, this.recheckMs);
        await this.register(wait);
        const woken = await inner.next(wait, signal);
        return woken || (wait < timeoutMs && !signal?.aborted);
      },
      close: () => inner.close(),
    };
  }

  /**
   * Makes sure this queue's row in {@link WAITERS_TABLE} lasts at least `waitMs` more (plus a
   * margin), committed when this resolves: one upsert, or none while the current or in-flight
   * registration covers it. Nothing without a notification source (nobody would be woken).
   */
  private async register(waitMs: number): Promise<void> {
    if (!this.notifications || this.closed) return;
    const needed = performance.now() + Math.max(0, waitMs) + REGISTRATION_SLACK_MS;
    if (this.registeredUntil >= needed) return;
    if (this.registering && this.registering.until >= needed) return this.registering.done;
    const leaseMs = Math.ceil(Math.max(0, waitMs) + REGISTRATION_MARGIN_MS);
    const until = performance.now() + leaseMs; // the server's clock_timestamp() is read after this
    const done = this.db.query(REGISTER_SQL, [this.listenerId, leaseMs]).then(
      () => {
        if (until > this.registeredUntil) this.registeredUntil = until;
      },
      (error: unknown) => {
        throw translateError(error, 'registering a waiting worker');
      },
    );
    const mine = { until, done };
    this.registering = mine;
    this.inFlight.add(done);
    try {
      await done;
    } finally {
      this.inFlight.delete(done);
      if (this.registering === mine) this.registering = undefined;
    }
  }

  /** Resolves once a LISTEN subscription is live (shared by every watch); rejects with StorageUnavailableError. */
  private ensureListening(): Promise<void> {
    if (!this.notifications || this.closed) return Promise.resolve();
    if (!this.listening) {
      const attempt = this.notifications
        .listen(
          CLAIMABLE_CHANNEL,
          () => this.notifier.notify(),
          () => {
            // connection lost: wake every watch (they claim again) and listen anew on the next wait
            this.listening = undefined;
            this.stopListening = undefined;
            this.notifier.notify();
          },
        )
        .then(
          async (stop) => {
            if (this.closed) await stop();
            else this.stopListening = stop;
          },
          (error: unknown) => {
            if (this.listening === attempt) this.listening = undefined;
            throw error;
          },
        );
      this.listening = attempt;
    }
    return this.listening;
  }

  async findSweepCandidates(idleBefore: Instant, limit: number): Promise<SweepCandidates> {
    try {
      const orphaned = await this.db.query<{ id: string }>(
        `SELECT j.id FROM sync_jobs j LEFT JOIN connectors c ON c.id = j.connector_id
         WHERE j.status IN (${SWEEPABLE}) AND (c.id IS NULL OR c.deleted)
         ORDER BY j.created_at, j.id LIMIT $1`,
        [limit],
      );
      const idle = await this.db.query<{ id: string }>(
        `SELECT j.id FROM sync_jobs j JOIN connectors c ON c.id = j.connector_id AND NOT c.deleted
         WHERE j.status IN (${SWEEPABLE}) AND j.last_seen <= $1::timestamptz
         ORDER BY j.last_seen, j.id LIMIT $2`,
        [idleBefore.toString(), limit],
      );
      return { orphaned: orphaned.rows.map((r) => r.id), idle: idle.rows.map((r) => r.id) };
    } catch (error) {
      throw translateError(error, 'finding sync jobs to sweep');
    }
  }

  /**
   * Ends the LISTEN subscription and deletes this queue's waiter registration, if it made one
   * (the database itself is closed by its owner). StorageUnavailableError if the delete fails
   * (the row would then only cause notifications until it expires).
   */
  async close(): Promise<void> {
    this.closed = true;
    const stop = this.stopListening;
    this.listening = undefined;
    this.stopListening = undefined;
    if (stop) await stop();
    const pending = [...this.inFlight];
    if (pending.length === 0 && this.registeredUntil === Number.NEGATIVE_INFINITY) return;
    // a registration still in flight would re-insert the row after the delete: let each land
    // first (allSettled: a failed one is reported to the wait that made it)
    await Promise.allSettled(pending);
    this.registeredUntil = Number.NEGATIVE_INFINITY;
    try {
      await this.db.query(`DELETE FROM ${WAITERS_TABLE} WHERE listener = $1`, [this.listenerId]);
    } catch (error) {
      throw translateError(error, 'removing a waiting worker');
    }
  }
}
