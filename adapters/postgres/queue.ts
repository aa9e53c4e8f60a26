import type { Pool, PoolClient } from 'pg';
import type { PGliteInterface } from '@electric-sql/pglite';
import {
  CLAIMABLE_SYNC_STATUSES,
  StorageUnavailableError,
  SWEEPABLE_SYNC_STATUSES,
  UnstorableValueError,
  WorkNotifier,
  isJsonObject,
  mergeJsonObjects,
} from '../../src/index.js';
import type {
  ClaimNextFilters,
  ClaimSyncJobCommand,
  Instant,
  SweepCandidates,
  SyncJob,
  SyncJobQueue,
  WorkWatch,
} from '../../src/index.js';
import { translateError } from './errors.js';
import { CLAIMABLE_CHANNEL } from './queue-migration.js';
import type { Queryable, Row, SqlExecutor } from './queryable.js';
import { JOB_SELECT, rowToJob, unstorableTextReason } from './stores.js';

export { CLAIMABLE_CHANNEL, QUEUE_MIGRATION } from './queue-migration.js';

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

function checkHostname(value: string): void {
  const reason = unstorableTextReason(value);
  if (reason) throw new UnstorableValueError(`[worker_hostname] ${reason}.`, 'worker_hostname');
}

const CLAIMABLE = CLAIMABLE_SYNC_STATUSES.map((s) => `'${s}'`).join(', ');
const SWEEPABLE = SWEEPABLE_SYNC_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * The worker side on PostgreSQL / PGlite.
 * - `claimNext` is ONE statement: `UPDATE ... WHERE id = (SELECT id ... ORDER BY (status =
 *   'suspended'), created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING ...`. Concurrent
 *   workers skip each other's locked rows instead of waiting, and a row another worker claimed
 *   meanwhile fails the re-checked WHERE, so no job is handed out twice. With a sync cursor the
 *   cursor is merged (as Elasticsearch's `_update` merges objects) and written by a second
 *   statement in the same transaction, on the row the first one locked.
 * - Wake-ups: the trigger of {@link QUEUE_MIGRATION} NOTIFYs {@link CLAIMABLE_CHANNEL}; one
 *   LISTEN subscription per queue (a dedicated pool connection on a server, in-process on
 *   PGlite) fans out to the watches. If the subscription dies the watches are woken (they claim
 *   again) and the next wait listens again.
 */
export class PostgresSyncJobQueue implements SyncJobQueue {
  private readonly notifier = new WorkNotifier();
  private listening: Promise<void> | undefined;
  private stopListening: (() => Promise<void>) | undefined;
  private closed = false;
  private claims = 0;
  private readonly vacuumEvery: number;

  /**
   * `options.vacuumEveryClaims`: run `VACUUM sync_jobs` after that many claims (default 0: never).
   * For PGlite, which has no autovacuum: without it every claimed row leaves a dead entry at the
   * head of the claim-order index that each later claim scans past (claims slow down linearly).
   */
  constructor(
    private readonly db: Queryable,
    private readonly notifications?: NotificationSource,
    options: { vacuumEveryClaims?: number } = {},
  ) {
    this.vacuumEvery = options.vacuumEveryClaims ?? 0;
  }

  async claimNext(filters: ClaimNextFilters, command: ClaimSyncJobCommand, now: Instant): Promise<SyncJob | null> {
    checkHostname(command.workerHostname);
    const params: unknown[] = [command.workerHostname, now.toString()];
    const where = [`status IN (${CLAIMABLE})`];
    if (filters.connectorIds && filters.connectorIds.length > 0) {
      params.push([...filters.connectorIds]);
      where.push(`connector_id = ANY($${params.length}::text[])`);
    }
    if (filters.jobTypes && filters.jobTypes.length > 0) {
      params.push([...filters.jobTypes]);
      where.push(`job_type = ANY($${params.length}::text[])`);
    }
    if (filters.serviceTypes && filters.serviceTypes.length > 0) {
      params.push([...filters.serviceTypes]);
      where.push(`(connector->>'service_type') = ANY($${params.length}::text[])`);
    }
    const sql = `UPDATE sync_jobs SET status = 'in_progress', worker_hostname = $1,
        started_at = $2::timestamptz, last_seen = $2::timestamptz
      WHERE id = (
        SELECT id FROM sync_jobs WHERE ${where.join(' AND ')}
        ORDER BY (status = 'suspended'), created_at, id
        LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING ${JOB_SELECT}`;
    const cursor = command.syncCursor;
    try {
      let claimed: SyncJob | null;
      if (cursor === undefined) {
        const { rows } = await this.db.query(sql, params);
        claimed = rows[0] ? rowToJob(rows[0]) : null;
      } else {
        claimed = await this.db.transaction(async (tx) => {
          const { rows } = await tx.query(sql, params);
          return rows[0] ? withCursor(tx, rows[0], cursor) : null;
        });
      }
      if (claimed && this.vacuumEvery > 0 && ++this.claims % this.vacuumEvery === 0) await this.db.exec('VACUUM sync_jobs');
      return claimed;
    } catch (error) {
      throw translateError(error, 'claiming the next sync job');
    }
  }

  async watch(): Promise<WorkWatch> {
    await this.ensureListening();
    const inner = this.notifier.open();
    return {
      next: async (timeoutMs, signal) => {
        // listens again after a lost connection (a failure is StorageUnavailableError)
        await this.ensureListening();
        return inner.next(timeoutMs, signal);
      },
      close: () => inner.close(),
    };
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

  /** Ends the LISTEN subscription (the database itself is closed by its owner). */
  async close(): Promise<void> {
    this.closed = true;
    const stop = this.stopListening;
    this.listening = undefined;
    this.stopListening = undefined;
    if (stop) await stop();
  }
}

/** Merges the claim's sync cursor into the locked row's cursor and writes it back. */
async function withCursor(tx: SqlExecutor, row: Row, cursor: NonNullable<ClaimSyncJobCommand['syncCursor']>): Promise<SyncJob> {
  const job = rowToJob(row);
  const prev = job.connector.syncCursor;
  const merged = isJsonObject(prev ?? null) ? mergeJsonObjects(prev as never, cursor) : cursor;
  // the cursor has its own column (migration 3); reads merge it back into the snapshot
  const { rows } = await tx.query(`UPDATE sync_jobs SET sync_cursor = $2::text::json WHERE id = $1 RETURNING ${JOB_SELECT}`, [
    job.id,
    JSON.stringify(merged),
  ]);
  if (!rows[0]) throw new StorageUnavailableError(`sync job [${job.id}] vanished inside its claim`);
  return rowToJob(rows[0]);
}
