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
import type { ConnectorCache } from './connector-cache.js';
import type { Queryable } from './queryable.js';
import { namedOptions } from './statement-name.js';
import type { NamedOptions } from './statement-name.js';
import { applySyncJobPlan } from './sql/apply-sync-job-plan.js';
import { deleteSyncJob } from './sql/delete-sync-job.js';
import { findIdempotencyKey } from './sql/find-idempotency-key.js';
import { getSyncJob } from './sql/get-sync-job.js';
import { insertSyncJob } from './sql/insert-sync-job.js';
import { listSyncJobs } from './sql/list-sync-jobs.js';

/** Options of {@link PostgresSyncJobStore}. */
export interface SyncJobStoreOptions {
  /**
   * Default true: the one-statement create, the lifecycle plans' one statement (`apply`), the
   * get by id, the read of `apply`'s fallback and the list are named statements
   * (`csj_*`), which `pg` prepares once per connection and PGlite once per instance (no parse
   * and plan per call: bench/README.md). Set false behind a pooler that cannot keep prepared
   * statements (PgBouncer before 1.21 in transaction mode): then every statement is unnamed.
   */
  preparedStatements?: boolean;
}

/**
 * Sync jobs in `sync_jobs`, idempotency keys in `sync_job_idempotency`. Each operation is the
 * `sql/` file of its name: a create (no idempotency key, no policy) whose connector came from
 * `cache` is ONE statement conditioned on the row's version, every other insert one transaction
 * (`insert-sync-job.ts`); a lifecycle plan is one guarded UPDATE without a read
 * (`apply-sync-job-plan.ts`, compiled by `plan-statement.ts`), and where that matches no row, a
 * read, the plan in JavaScript and one UPDATE guarded on the row version
 * (`read-and-apply-sync-job-plan.ts`).
 */
export class PostgresSyncJobStore implements SyncJobStore {
  /** Options of a job statement named `name` (a prepared statement unless `preparedStatements` is false). */
  private readonly named: NamedOptions;

  constructor(
    private readonly db: Queryable,
    private readonly cache?: ConnectorCache,
    private readonly options: SyncJobStoreOptions = {},
  ) {
    this.named = namedOptions(options.preparedStatements);
  }

  /** `sql/insert-sync-job.ts` (its one-statement create: `sql/create-sync-job.ts`) */
  insert(job: SyncJob, options: InsertOptions = {}): Promise<InsertResult> {
    return insertSyncJob(this.db, this.cache, this.named, job, options);
  }

  /** `sql/get-sync-job.ts` */
  get(id: string): Promise<SyncJob | null> {
    return getSyncJob(this.db, this.named, id);
  }

  /** `sql/apply-sync-job-plan.ts` (the plan compiled by `sql/plan-statement.ts`; fallback `sql/read-and-apply-sync-job-plan.ts`) */
  apply(id: string, plan: SyncJobPlan): Promise<SyncJobUpdate | null> {
    return applySyncJobPlan(this.db, this.named, id, plan);
  }

  /** `sql/list-sync-jobs.ts` */
  list(query: SyncJobListQuery): Promise<SyncJobListResult> {
    return listSyncJobs(this.db, this.named, query);
  }

  /** `sql/delete-sync-job.ts` */
  delete(id: string, now?: Instant): Promise<boolean> {
    return deleteSyncJob(this.db, this.named, id, now);
  }

  /** `sql/find-idempotency-key.ts` */
  findIdempotencyKey(key: string): Promise<IdempotencyRecord | null> {
    return findIdempotencyKey(this.db, key);
  }
}
