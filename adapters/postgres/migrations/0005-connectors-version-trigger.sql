-- Version 5: connectors.version, set by a trigger on every write of the row.
--
-- A create builds its job from a connector the process may have cached, and inserts only while
-- the row's `version` is still the one it read. The trigger gives every INSERT and UPDATE of a
-- row, by any writer (another process, psql), a new value of one sequence: never reused, even
-- after a hard delete and a new PUT. The ALTER gives the existing rows distinct values (a
-- rewrite of the small connectors table).
--
-- An applied migration is never edited: a change to the schema is a new numbered file.

CREATE SEQUENCE connectors_version_seq;
ALTER TABLE connectors ADD COLUMN version bigint NOT NULL DEFAULT nextval('connectors_version_seq');
CREATE FUNCTION connector_sync_jobs_connector_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := nextval('connectors_version_seq');
  RETURN NEW;
END
$$;
CREATE TRIGGER connectors_version BEFORE INSERT OR UPDATE ON connectors
  FOR EACH ROW EXECUTE FUNCTION connector_sync_jobs_connector_version();
