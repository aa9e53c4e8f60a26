-- Version 8: the connector's sync info (what a job's claim and end write: spec section 8), and
-- a version trigger that ignores it.
--
-- The columns are upstream's connector document fields. The lifecycle writes them in the same
-- transaction as the job; an upsert replaces the whole connector, these columns included.
-- A create serves a cached connector only while the row's `version` is the one it read; the
-- sync info is no part of a job's snapshot, so writing it must not make every cached record
-- stale: the trigger now fires only for an INSERT or an UPDATE that sets one of the columns a
-- create reads or a setup call writes (a new such column must be added to the list).
--
-- An applied migration is never edited: a change to the schema is a new numbered file.

ALTER TABLE connectors ADD COLUMN last_sync_status text;
ALTER TABLE connectors ADD COLUMN last_sync_error text;
ALTER TABLE connectors ADD COLUMN last_access_control_sync_status text;
ALTER TABLE connectors ADD COLUMN last_access_control_sync_error text;
ALTER TABLE connectors ADD COLUMN last_synced timestamptz;
ALTER TABLE connectors ADD COLUMN last_indexed_document_count bigint;
ALTER TABLE connectors ADD COLUMN last_deleted_document_count bigint;
ALTER TABLE connectors ADD COLUMN sync_cursor json;
ALTER TABLE connectors ADD COLUMN error text;

DROP TRIGGER connectors_version ON connectors;
CREATE TRIGGER connectors_version
  BEFORE INSERT OR UPDATE OF id, index_name, service_type, language, name, is_native, pipeline, configuration, filtering, deleted, description
  ON connectors
  FOR EACH ROW EXECUTE FUNCTION connector_sync_jobs_connector_version();
