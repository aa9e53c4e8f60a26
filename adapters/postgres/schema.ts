/**
 * The names of schema objects that the running code refers to. The migrations in
 * `./migrations/` create these objects and spell the names literally (they are immutable
 * history and import nothing); `tests/adapters/postgres/schema.test.ts` checks that a migrated
 * database has each of them.
 */

/** The LISTEN/NOTIFY channel on which a job becoming claimable is announced (payload empty). */
export const CLAIMABLE_CHANNEL = 'connector_sync_jobs_claimable';

/** The SQL function that merges two JSON objects as Elasticsearch's partial update does (migration 6). */
export const JSON_MERGE_FUNCTION = 'connector_sync_jobs_json_merge';

/** The table in which waiting workers register (migration 7): one row per queue instance. */
export const WAITERS_TABLE = 'sync_job_waiters';
