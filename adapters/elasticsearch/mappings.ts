/**
 * Index mappings used by `ensureIndices` when an index is missing (existing indices are left
 * alone). Spec section 2: `dynamic: false`, dates for the six timestamps, keywords for the
 * fields upstream filters on, objects for free-form maps (kept in `_source`, not indexed).
 * The jobs mapping follows upstream's `elastic-connectors-sync-jobs-mappings.json` (integer
 * counters, the snapshot's filtering block); the connectors one maps only what this library reads.
 */
/** A connector's ingest pipeline, in the job snapshot and in the connector document alike. */
const PIPELINE_MAPPING = {
  properties: {
    extract_binary_content: { type: 'boolean' },
    name: { type: 'keyword' },
    reduce_whitespace: { type: 'boolean' },
    run_ml_inference: { type: 'boolean' },
  },
} as const;

export const SYNC_JOBS_MAPPINGS = {
  dynamic: false,
  properties: {
    cancelation_requested_at: { type: 'date' },
    canceled_at: { type: 'date' },
    completed_at: { type: 'date' },
    created_at: { type: 'date' },
    last_seen: { type: 'date' },
    started_at: { type: 'date' },
    deleted_document_count: { type: 'integer' },
    indexed_document_count: { type: 'integer' },
    indexed_document_volume: { type: 'integer' },
    total_document_count: { type: 'integer' },
    error: { type: 'keyword' },
    job_type: { type: 'keyword' },
    status: { type: 'keyword' },
    trigger_method: { type: 'keyword' },
    worker_hostname: { type: 'keyword' },
    metadata: { type: 'object' },
    connector: {
      properties: {
        id: { type: 'keyword' },
        index_name: { type: 'keyword' },
        language: { type: 'keyword' },
        service_type: { type: 'keyword' },
        configuration: { type: 'object' },
        sync_cursor: { type: 'object' },
        // as upstream's elastic-connectors-sync-jobs-mappings.json
        filtering: {
          properties: {
            advanced_snippet: {
              properties: { created_at: { type: 'date' }, updated_at: { type: 'date' }, value: { type: 'object' } },
            },
            domain: { type: 'keyword' },
            rules: {
              properties: {
                created_at: { type: 'date' },
                field: { type: 'keyword' },
                id: { type: 'keyword' },
                order: { type: 'short' },
                policy: { type: 'keyword' },
                rule: { type: 'keyword' },
                updated_at: { type: 'date' },
                value: { type: 'keyword' },
              },
            },
            warnings: { properties: { ids: { type: 'keyword' }, messages: { type: 'text' } } },
          },
        },
        pipeline: PIPELINE_MAPPING,
      },
    },
  },
} as const;

/** The connector fields the library reads (spec section 3), same conventions. */
export const CONNECTORS_MAPPINGS = {
  dynamic: false,
  properties: {
    index_name: { type: 'keyword' },
    name: { type: 'keyword' },
    service_type: { type: 'keyword' },
    language: { type: 'keyword' },
    is_native: { type: 'boolean' },
    deleted: { type: 'boolean' },
    configuration: { type: 'object' },
    filtering: { type: 'object' },
    pipeline: PIPELINE_MAPPING,
  },
} as const;

/** Idempotency claims: one document per key, `_id` = sha256 of the key. */
export const IDEMPOTENCY_MAPPINGS = {
  dynamic: false,
  properties: {
    key: { type: 'keyword' },
    fingerprint: { type: 'keyword', index: false },
    job_id: { type: 'keyword' },
    created_at: { type: 'date' },
    /** Set by `delete` on the claims of the job it deletes: such a claim is free once the job is gone. */
    released_at: { type: 'date' },
  },
} as const;

/** Active-job locks: one document per (connector id, job class), `_id` = sha256 of both. */
export const ACTIVE_JOB_LOCKS_MAPPINGS = {
  dynamic: false,
  properties: {
    connector_id: { type: 'keyword' },
    job_class: { type: 'keyword' },
    job_id: { type: 'keyword' },
    created_at: { type: 'date' },
  },
} as const;
