-- Version 1: the tables connectors, sync_jobs and sync_job_idempotency.
--
-- JSON values are stored as `json`, not `jsonb`: `json` keeps the exact text that was written
-- (key order, number spelling, `\u0000` and lone-surrogate escapes), so a connector's
-- configuration and a job's snapshot read back byte for byte in Elasticsearch's wire form.
-- `jsonb` would reorder keys and reject `\u0000`. Nothing queries inside these values; the
-- fields the queries need (`connector_id`, `status`, `job_type`, `created_at`) are columns.
--
-- An applied migration is never edited: a change to the schema is a new numbered file.

CREATE TABLE connectors (
  id            text PRIMARY KEY,
  index_name    text,
  service_type  text,
  language      text,
  name          text,
  is_native     boolean NOT NULL DEFAULT false,
  pipeline      json,
  configuration json,
  filtering     json,
  deleted       boolean NOT NULL DEFAULT false
);

CREATE TABLE sync_jobs (
  id                       text PRIMARY KEY,
  connector_id             text NOT NULL,
  cancelation_requested_at timestamptz,
  canceled_at              timestamptz,
  completed_at             timestamptz,
  connector                json NOT NULL,
  created_at               timestamptz NOT NULL,
  deleted_document_count   bigint NOT NULL DEFAULT 0 CHECK (deleted_document_count >= 0),
  error                    text,
  indexed_document_count   bigint NOT NULL DEFAULT 0 CHECK (indexed_document_count >= 0),
  indexed_document_volume  bigint NOT NULL DEFAULT 0 CHECK (indexed_document_volume >= 0),
  job_type                 text NOT NULL CHECK (job_type IN ('full', 'incremental', 'access_control')),
  last_seen                timestamptz,
  metadata                 json NOT NULL DEFAULT '{}',
  started_at               timestamptz,
  status                   text NOT NULL CHECK (status IN ('canceling', 'canceled', 'completed', 'error', 'in_progress', 'pending', 'suspended')),
  total_document_count     bigint NOT NULL DEFAULT 0 CHECK (total_document_count >= 0),
  trigger_method           text NOT NULL CHECK (trigger_method IN ('on_demand', 'scheduled')),
  worker_hostname          text
);

CREATE INDEX sync_jobs_created_at_idx ON sync_jobs (created_at DESC, id);
CREATE INDEX sync_jobs_connector_created_at_idx ON sync_jobs (connector_id, created_at DESC);
CREATE INDEX sync_jobs_status_created_at_idx ON sync_jobs (status, created_at DESC);
CREATE INDEX sync_jobs_active_idx ON sync_jobs (connector_id, job_type)
  WHERE status IN ('pending', 'in_progress', 'canceling', 'suspended');

CREATE TABLE sync_job_idempotency (
  key         text PRIMARY KEY,
  fingerprint text NOT NULL,
  job_id      text NOT NULL REFERENCES sync_jobs (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now()
);
