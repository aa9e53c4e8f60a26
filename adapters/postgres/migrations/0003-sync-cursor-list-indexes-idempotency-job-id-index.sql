-- Version 3: sync_jobs.sync_cursor, the list indexes, the index on sync_job_idempotency(job_id).
--
-- - sync_cursor: the snapshot's cursor in its own column, so a claim writes the cursor and
--   not the whole snapshot text. Rows written before keep their cursor inside `connector`
--   (the read takes the column when it is set, the snapshot's otherwise): no rewrite here.
--   A nullable column without default is a catalog-only change, even on a large table.
-- - list (`ORDER BY created_at DESC, id COLLATE "C"`, optionally one connector or one
--   status): each index gives the page in order, so a page stops after from + size rows.
--   They replace version 1's order indexes, whose `id` had the database's collation and
--   no tie-breaker for the filtered ones. A job_type filter alone is 1 of 3 values: it is
--   read along the order index.
-- - sync_job_idempotency.job_id: a job's delete finds its keys by it (ON DELETE CASCADE).
--
-- An applied migration is never edited: a change to the schema is a new numbered file.

ALTER TABLE sync_jobs ADD COLUMN sync_cursor json;

DROP INDEX sync_jobs_created_at_idx;
DROP INDEX sync_jobs_connector_created_at_idx;
DROP INDEX sync_jobs_status_created_at_idx;
CREATE INDEX sync_jobs_list_idx ON sync_jobs (created_at DESC, id COLLATE "C");
CREATE INDEX sync_jobs_list_connector_idx ON sync_jobs (connector_id, created_at DESC, id COLLATE "C");
CREATE INDEX sync_jobs_list_status_idx ON sync_jobs (status, created_at DESC, id COLLATE "C");

CREATE INDEX sync_job_idempotency_job_id_idx ON sync_job_idempotency (job_id);
