-- Version 4: the worker queue's indexes and its NOTIFY trigger.
--
-- A partial index in claim order (pending before suspended, oldest first), a partial index for
-- the sweeper, and a trigger that NOTIFYs the channel `connector_sync_jobs_claimable` (payload
-- empty) when a job is inserted pending/suspended or its status moves to one of them. Postgres
-- folds identical notifications of one transaction into one, so a bulk insert wakes the
-- workers once. (Version 7 replaces the trigger's function.)
--
-- An applied migration is never edited: a change to the schema is a new numbered file.

CREATE INDEX sync_jobs_claimable_idx ON sync_jobs ((status = 'suspended'), created_at, id)
  WHERE status IN ('pending', 'suspended');
CREATE INDEX sync_jobs_sweepable_idx ON sync_jobs (last_seen)
  WHERE status IN ('in_progress', 'canceling');

CREATE FUNCTION connector_sync_jobs_notify_claimable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = NEW.status THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('connector_sync_jobs_claimable', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER sync_jobs_notify_claimable
  AFTER INSERT OR UPDATE OF status ON sync_jobs
  FOR EACH ROW WHEN (NEW.status IN ('pending', 'suspended'))
  EXECUTE FUNCTION connector_sync_jobs_notify_claimable();
