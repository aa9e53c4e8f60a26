import type { Client } from '@elastic/elasticsearch';
import type {
  IdempotencyRecord,
  Instant,
  InsertOptions,
  InsertResult,
  SyncJob,
  SyncJobListQuery,
  SyncJobListResult,
  SyncJobPlan,
  SyncJobStore,
  SyncJobUpdate,
} from '../../src/index.js';
import { storeContext } from './context.js';
import type { StoreContext } from './context.js';
import { deleteSyncJob } from './lib/delete-sync-job.js';
import { ensureIndices } from './lib/ensure-indices.js';
import { findIdempotencyKey } from './lib/find-idempotency-key.js';
import { getSyncJob } from './lib/get-sync-job.js';
import { insertSyncJob } from './lib/insert-sync-job.js';
import { listSyncJobs } from './lib/list-sync-jobs.js';
import { applySyncJobPlan } from './lib/apply-sync-job-plan.js';
import type { ElasticsearchIndices, ElasticsearchStoreSettings } from './settings.js';

/**
 * Sync jobs in `.elastic-connectors-sync-jobs` (or the configured index), the document of spec
 * section 2 written by `_create` with `refresh=true`. Idempotency claims and active-job locks are
 * documents created with `_create` (atomic per `_id`); see ARCHITECTURE.md for the limits. Each
 * method is one operation of `lib/`, named after it.
 */
export class ElasticsearchSyncJobStore implements SyncJobStore {
  private readonly ctx: StoreContext;

  constructor(client: Client, settings: ElasticsearchStoreSettings = {}) {
    this.ctx = storeContext(client, settings);
  }

  get indices(): ElasticsearchIndices {
    return { ...this.ctx.settings.indices };
  }

  insert(job: SyncJob, options: InsertOptions = {}): Promise<InsertResult> {
    return insertSyncJob(this.ctx, job, options);
  }

  get(id: string): Promise<SyncJob | null> {
    return getSyncJob(this.ctx, id);
  }

  apply(id: string, plan: SyncJobPlan): Promise<SyncJobUpdate | null> {
    return applySyncJobPlan(this.ctx, id, plan);
  }

  list(query: SyncJobListQuery): Promise<SyncJobListResult> {
    return listSyncJobs(this.ctx, query);
  }

  delete(id: string, now?: Instant): Promise<boolean> {
    return deleteSyncJob(this.ctx, id, now);
  }

  findIdempotencyKey(key: string): Promise<IdempotencyRecord | null> {
    return findIdempotencyKey(this.ctx, key);
  }

  /** Creates the four indices with their mappings when missing; existing ones are left alone. */
  ensureIndices(): Promise<void> {
    return ensureIndices(this.ctx);
  }
}
