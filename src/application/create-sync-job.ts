import { InvalidRequestError, newSyncJob, parseCreateSyncJobRequest, ConflictError } from '../domain/index.js';
import type { CreateSyncJobCommand, SyncJob } from '../domain/index.js';
import type { Clock, ConnectorLookup, CreateSyncJobSettings, IdGenerator, InsertOptions, SyncJobStore } from '../ports/index.js';

/** Per-call options of a create. */
export interface CreateSyncJobOptions {
  /** Spec section 4: the same key and request give the same job; another request is a conflict. */
  idempotencyKey?: string;
}

/** Longest accepted idempotency key. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** The canonical form of a command that idempotency compares. */
export function fingerprintOf(command: CreateSyncJobCommand): string {
  return JSON.stringify([command.connectorId, command.jobType, command.triggerMethod]);
}

function checkIdempotencyKey(key: string): void {
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new InvalidRequestError(
      'validation',
      `Validation Failed: 1: [Idempotency-Key] must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters;`,
    );
  }
}

/**
 * The create use case (`POST _connector/_sync_job`): parse the untrusted body, read the
 * connector, check it, build the job and store it. Nothing is stored when any step fails.
 */
export class CreateSyncJob {
  constructor(
    private readonly connectors: ConnectorLookup,
    private readonly jobs: SyncJobStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly settings: CreateSyncJobSettings = { oneActiveJobPerClass: false },
  ) {}

  /**
   * Creates a job from a raw request body (`undefined` when there is none).
   * Throws InvalidRequestError, ConnectorNotFoundError, ConnectorNotSyncableError,
   * ConflictError or StorageUnavailableError.
   */
  execute(body: unknown, options: CreateSyncJobOptions = {}): Promise<SyncJob> {
    let command: CreateSyncJobCommand;
    try {
      command = parseCreateSyncJobRequest(body);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.executeCommand(command, options);
  }

  /**
   * {@link execute} for a body already parsed with `parseCreateSyncJobRequest` (a caller that
   * parses first, e.g. to answer a body error before its own checks). Throws the errors of
   * `execute` except the body's InvalidRequestError.
   */
  async executeCommand(command: CreateSyncJobCommand, options: CreateSyncJobOptions = {}): Promise<SyncJob> {
    const insertOptions: InsertOptions = {};
    if (options.idempotencyKey !== undefined) {
      checkIdempotencyKey(options.idempotencyKey);
      const fingerprint = fingerprintOf(command);
      const earlier = await this.jobs.findIdempotencyKey(options.idempotencyKey);
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) throw ConflictError.idempotencyMismatch(options.idempotencyKey);
        const job = await this.jobs.get(earlier.jobId);
        if (job) return job;
      }
      insertOptions.idempotency = { key: options.idempotencyKey, fingerprint };
    }
    if (this.settings.oneActiveJobPerClass) insertOptions.oneActivePerClass = true;
    const connector = await this.connectors.findById(command.connectorId);
    const id = this.ids.next();
    const now = this.clock.now();
    const job = newSyncJob(id, command, connector, now);
    // The lookup may have answered from a cache: the store inserts only while this record is current, else rebuilds.
    insertOptions.source = { connector: connector!, rebuild: (current) => newSyncJob(id, command, current, now) };
    const result = await this.jobs.insert(job, insertOptions);
    return result.job;
  }
}
