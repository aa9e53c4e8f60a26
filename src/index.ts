/**
 * connector-sync-jobs: Elasticsearch's connector sync job APIs as a hexagonal library.
 * The public API, listed name by name (no `export *`): the typed facade, the container and its
 * tokens, the domain's types and errors, the ports (with what a host's own store needs to
 * implement them), the use cases (the raw-body path the HTTP adapter uses) and the codec.
 * Everything else (request parsers, plans, decoders) is internal: `src/internal.ts`.
 */

// the typed facade
export { ConnectorSyncJobs, connectorSyncJobs } from './facade/connector-sync-jobs.js';
export { Connectors, SyncJobs } from './facade/sync-jobs.js';
export type {
  ClaimInput,
  ClaimNextFiltersInput,
  ClaimNextInput,
  CreateOptions,
  CreateSyncJobInput,
  EndInput,
  ErrorInput,
  ListSyncJobsInput,
  Resolve,
  UpdateStatsInput,
} from './facade/sync-jobs.js';

// the container
export { coreModule, createContainer, initializeContainer, closeContainer } from './container.js';
export type { CoreModuleOptions } from './container.js';
export { TOKENS } from './tokens.js';
export type { ServiceToken } from './tokens.js';
export { MissingDriverError } from './drivers.js';

// the domain: a job, a connector, their values
export type { SyncJob } from './domain/sync-job.js';
export type {
  AdvancedSnippet,
  ConnectorRecord,
  ConnectorSnapshot,
  FilteringConfig,
  FilteringRule,
  FilteringRules,
  FilteringValidation,
  FilteringValidationError,
  IngestPipeline,
} from './domain/connector.js';
export { connectorFromSetup } from './domain/connector-setup.js';
export type { ConnectorSetup } from './domain/connector-setup.js';
export { Instant } from './domain/instant.js';
export { ACTIVE_SYNC_STATUSES, JOB_TYPES, SYNC_STATUSES, TRIGGER_METHODS, jobClassOf } from './domain/enums.js';
export type { JobClass, JobType, SyncStatus, TriggerMethod } from './domain/enums.js';
export type { JsonObject, JsonValue } from './domain/json.js';

// the domain: errors
export {
  ConflictError,
  ConnectorNotFoundError,
  ConnectorNotSyncableError,
  CorruptSyncJobError,
  InvalidRequestError,
  InvalidTransitionError,
  StorageFailureError,
  StorageUnavailableError,
  SyncJobError,
  SyncJobNotFoundError,
  UnstorableValueError,
  isSyncJobError,
} from './domain/errors.js';
export type { ConflictKind, InvalidRequestKind, NotSyncableReason, SyncJobErrorCode } from './domain/errors.js';

// the domain: what a store and a queue implement (lifecycle plans, worker rules)
export { applyPlan, changedSyncJobFields } from './domain/sync-job-plan.js';
/** The most a list's `count` says (10,000, upstream's default `track_total_hits`): what a store's `list` caps its count at. */
export { MAX_LIST_COUNT } from './domain/lifecycle-requests.js';
export {
  cancelSyncJobPlan,
  checkInSyncJobPlan,
  claimSyncJobPlan,
  completeSyncJobPlan,
  errorSyncJobPlan,
  fencedPlan,
  suspendSyncJobPlan,
  transitionPlan,
  updateSyncJobStatsPlan,
} from './domain/lifecycle.js';
export { sweepIdleSyncJobPlan, sweepOrphanedSyncJobPlan } from './domain/workers.js';
export type { MutableSyncJobField, SyncJobAssignments, SyncJobPlan, SyncJobPlanCase, SyncJobUpdate, SyncJobUpdateResult } from './domain/sync-job-plan.js';
export {
  CLAIMABLE_SYNC_STATUSES,
  DEFAULT_IDLE_THRESHOLD_MS,
  IDLE_JOB_ERROR,
  MAX_CLAIM_WAIT_MS,
  SWEEPABLE_SYNC_STATUSES,
  compareClaimOrder,
  isClaimable,
  isIdle,
} from './domain/workers.js';
export type { ClaimNextFilters } from './domain/workers.js';
// what a store writes to the connector at a job's claim and end (spec section 8)
export {
  JOB_NOT_FOUND_ERROR,
  isRunning,
  syncEndInfo,
  syncGoneInfo,
  syncInfoAfter,
  syncInfoOnRepeat,
  syncStartInfo,
  withSyncInfo,
  writesSyncInfo,
} from './domain/connector-sync-info.js';
export type { ConnectorSyncInfo } from './domain/connector-sync-info.js';
export type { EndSyncJobCommand } from './domain/lifecycle.js';

// the ports
export type {
  Clock,
  Closeable,
  ConnectorLookup,
  ConnectorStore,
  CreateSyncJobSettings,
  DeleteConnectorOptions,
  IdGenerator,
  IdempotencyClaim,
  IdempotencyRecord,
  InsertOptions,
  InsertResult,
  InsertSource,
  SweepCandidates,
  SyncJobListQuery,
  SyncJobListResult,
  SyncJobQueue,
  SyncJobStore,
  UpsertResult,
  WorkWatch,
} from './ports/index.js';
export { SystemClock } from './defaults/system-clock.js';
export { ElasticsearchIdGenerator } from './defaults/elasticsearch-id-generator.js';
export { WorkNotifier } from './defaults/work-notifier.js';

// the use cases (raw request bodies, as the HTTP adapter hands them over)
export {
  CancelSyncJob,
  CheckInSyncJob,
  ClaimNextSyncJob,
  ClaimSyncJob,
  CompleteSyncJob,
  CreateSyncJob,
  DeleteSyncJob,
  ErrorSyncJob,
  SuspendSyncJob,
  GetSyncJob,
  ListSyncJobs,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  SweepSyncJobs,
  UpdateSyncJobStats,
  scheduleSweeps,
} from './application/index.js';
export type {
  ClaimNextOptions,
  ClaimNextSettings,
  CreateSyncJobOptions,
  FenceOptions,
  SweepOptions,
  SweepResult,
  SweepSchedule,
  SweepScheduleOptions,
} from './application/index.js';

// the codec: Elasticsearch's documents and answers
export { decodeSyncJobDocument, encodeSyncJobDocument, toSyncJobResponse } from './codec/sync-job-document.js';
export type { SyncJobDocument } from './codec/sync-job-document.js';
export { decodeConnectorDocument, decodeConnectorSetup, encodeConnectorDocument, encodeSyncInfo, toConnectorResponse } from './codec/connector-document.js';
