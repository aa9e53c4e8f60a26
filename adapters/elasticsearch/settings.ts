/** The adapter's public settings: index names, the request timeout and the stores' tuning. */

/** The indices the adapter uses. */
export interface ElasticsearchIndices {
  /** Connector documents (read by the lookup, written by `upsert`). Default `.elastic-connectors`. */
  connectors: string;
  /** Sync job documents. Default `.elastic-connectors-sync-jobs`. */
  syncJobs: string;
  /** Idempotency claims. Default `.connector-sync-jobs-idempotency`. */
  idempotency: string;
  /** One-active-job locks. Default `.connector-sync-jobs-active-locks`. */
  activeJobLocks: string;
}

/** Upstream's index names for connectors and jobs; the adapter's own for claims and locks. */
export const DEFAULT_INDICES: ElasticsearchIndices = {
  connectors: '.elastic-connectors',
  syncJobs: '.elastic-connectors-sync-jobs',
  idempotency: '.connector-sync-jobs-idempotency',
  activeJobLocks: '.connector-sync-jobs-active-locks',
};

/** Default per-request timeout, milliseconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Settings shared by the stores. */
export interface ElasticsearchStoreSettings {
  indices?: Partial<ElasticsearchIndices>;
  /** Per-request timeout in milliseconds, passed explicitly on every request. Default 30 s. */
  requestTimeout?: number;
  /**
   * How long an idempotent replay waits for the job of an in-flight claim before answering
   * StorageUnavailableError (retryable). Default 5 s.
   */
  claimWaitMs?: number;
  /**
   * Age after which a claim or lock whose job was never written is considered abandoned (its
   * writer crashed) and may be taken over. Default 4 x requestTimeout.
   */
  staleClaimMs?: number;
  /**
   * How many compare-and-set rounds an `update` may lose to other writers (HTTP 409 on
   * `if_seq_no`/`if_primary_term`) before it gives up with a retryable StorageUnavailableError.
   * Each lost round re-reads the job and re-runs the decision after a short random pause. Default 32.
   */
  updateAttempts?: number;
  /** Wall clock for claim ages (tests). Default `Date.now`. */
  now?: () => number;
}
