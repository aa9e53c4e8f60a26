import type {
  IdempotencyRecord,
  InsertOptions,
  InsertResult,
  SyncJob,
  SyncJobCommand,
  SyncJobDecision,
  SyncJobListQuery,
  SyncJobListResult,
  SyncJobStore,
} from '../../src/index.js';
import { PLAIN } from './columns/job-columns.js';
import type { ConnectorCache } from './connector-cache.js';
import type { Queryable } from './queryable.js';
import type { NamedOptions } from './statement-name.js';
import { applyCommand } from './sql/apply-command.js';
import { deleteSyncJob } from './sql/delete-sync-job.js';
import { findIdempotencyKey } from './sql/find-idempotency-key.js';
import { getSyncJob } from './sql/get-sync-job.js';
import { insertSyncJob } from './sql/insert-sync-job.js';
import { listSyncJobs } from './sql/list-sync-jobs.js';
import { updateSyncJob } from './sql/update-sync-job.js';

/** Options of {@link PostgresSyncJobStore}. */
export interface SyncJobStoreOptions {
  /**
   * Default true: the one-statement create, the lifecycle commands' one statement
   * (`applyCommand`), the get by id, the read of `update` and the list are named statements
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
 * (`insert-sync-job.ts`); an update reads the row and its version, decides, and writes only the
 * changed columns in one UPDATE guarded on that version (`update-sync-job.ts`); a lifecycle
 * command is one guarded UPDATE without the read (`apply-command.ts`).
 */
export class PostgresSyncJobStore implements SyncJobStore {
  /** Options of a job statement named `name` (a prepared statement unless `preparedStatements` is false). */
  private readonly named: NamedOptions;

  constructor(
    private readonly db: Queryable,
    private readonly cache?: ConnectorCache,
    private readonly options: SyncJobStoreOptions = {},
  ) {
    this.named = options.preparedStatements === false ? () => PLAIN : (name) => (name === undefined ? PLAIN : { plainTypes: true, prepare: name });
  }

  /** `sql/insert-sync-job.ts` (its one-statement create: `sql/create-sync-job.ts`) */
  insert(job: SyncJob, options: InsertOptions = {}): Promise<InsertResult> {
    return insertSyncJob(this.db, this.cache, this.named, job, options);
  }

  /** `sql/get-sync-job.ts` */
  get(id: string): Promise<SyncJob | null> {
    return getSyncJob(this.db, this.named, id);
  }

  /** `sql/update-sync-job.ts`: `decide` runs at most twice, the second time on the latest row. */
  update(id: string, decide: SyncJobDecision): Promise<SyncJob | null> {
    return updateSyncJob(this.db, this.named, id, decide);
  }

  /** `sql/apply-command.ts` (the plan compiled by `sql/command-statement.ts`); `update`'s answer and errors. */
  applyCommand(id: string, command: SyncJobCommand): Promise<SyncJob | null> {
    return applyCommand(this.db, this.named, id, command);
  }

  /** `sql/list-sync-jobs.ts` */
  list(query: SyncJobListQuery): Promise<SyncJobListResult> {
    return listSyncJobs(this.db, this.named, query);
  }

  /** `sql/delete-sync-job.ts` */
  delete(id: string): Promise<boolean> {
    return deleteSyncJob(this.db, id);
  }

  /** `sql/find-idempotency-key.ts` */
  findIdempotencyKey(key: string): Promise<IdempotencyRecord | null> {
    return findIdempotencyKey(this.db, key);
  }
}
