-- Version 7: the UNLOGGED table sync_job_waiters; the claimable trigger NOTIFYs only while a
-- worker waits.
--
-- `pg_notify` in a committing transaction takes PostgreSQL's global notify-queue lock
-- (PreCommit_Notify) and holds it through the commit's WAL flush, so every notifying commit in
-- the cluster is serialised and group commit is lost.
-- - `sync_job_waiters (listener, until)`: a queue about to wait upserts its row (a random id per
--   queue instance) with `until` = the end of its wait plus a margin, and deletes it on close.
--   UNLOGGED: no WAL for a registration; a server crash empties it (the waiters reconnect and
--   register again). A crashed process's row only causes notifications until it expires.
-- - Version 4's trigger function is replaced (same trigger): it notifies
--   `connector_sync_jobs_claimable` only while some registration has not expired (a scan of a
--   table of a few rows; `clock_timestamp()`, not the transaction's start, so a registration
--   made while a long transaction runs is seen).
-- The race this leaves (a create whose trigger ran before a registration committed, but which
-- commits after the waiter's claim attempt, sends nothing) is closed by the queue's periodic
-- re-claim while it waits.
--
-- An applied migration is never edited: a change to the schema is a new numbered file.

CREATE UNLOGGED TABLE sync_job_waiters (
  listener text PRIMARY KEY,
  until    timestamptz NOT NULL
);

CREATE OR REPLACE FUNCTION connector_sync_jobs_notify_claimable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = NEW.status THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM sync_job_waiters WHERE until > clock_timestamp()) THEN
    PERFORM pg_notify('connector_sync_jobs_claimable', '');
  END IF;
  RETURN NULL;
END
$$;
