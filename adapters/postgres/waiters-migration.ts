import { CLAIMABLE_CHANNEL } from './queue-migration.js';

/** The table in which waiting workers register (migration 7): one row per queue instance. */
export const WAITERS_TABLE = 'sync_job_waiters';

/**
 * Migration 7 (issue 13): NOTIFY only when a worker waits. `pg_notify` in a committing
 * transaction takes PostgreSQL's global notify-queue lock (PreCommit_Notify) and holds it through
 * the commit's WAL flush, so every notifying commit in the cluster is serialised and group commit
 * is lost (measured: a raw insert into `sync_jobs` at concurrency 16 ran 3.2x faster with
 * migration 4's trigger disabled).
 * - `sync_job_waiters (listener, until)`: a queue about to wait upserts its row (a random id per
 *   queue instance) with `until` = the end of its wait plus a margin, and deletes it on close.
 *   UNLOGGED: no WAL for a registration; a server crash empties it (the waiters reconnect and
 *   register again). A crashed process's row only causes notifications until it expires.
 * - Migration 4's trigger function is replaced (same trigger): it notifies
 *   {@link CLAIMABLE_CHANNEL} only while some registration has not expired (a scan of a table of
 *   a few rows; `clock_timestamp()`, not the transaction's start, so a registration made while a
 *   long transaction runs is seen).
 * The race this leaves (a create whose trigger ran before a registration committed, but which
 * commits after the waiter's claim attempt, sends nothing) is closed by the queue's periodic
 * re-claim while waiting (`PostgresSyncJobQueue`'s `recheckMs`).
 */
export const WAITERS_MIGRATION = {
  version: 7,
  name: 'sync_job_waiters: NOTIFY claimable jobs only while a worker waits',
  sql: `
CREATE UNLOGGED TABLE ${WAITERS_TABLE} (
  listener text PRIMARY KEY,
  until    timestamptz NOT NULL
);

CREATE OR REPLACE FUNCTION connector_sync_jobs_notify_claimable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = NEW.status THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM ${WAITERS_TABLE} WHERE until > clock_timestamp()) THEN
    PERFORM pg_notify('${CLAIMABLE_CHANNEL}', '');
  END IF;
  RETURN NULL;
END
$$;
`,
};
