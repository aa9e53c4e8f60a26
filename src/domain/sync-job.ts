import { cloneFilteringRules, isNullOrEmpty, snapshotConnector } from './connector.js';
import { cloneJson } from './json.js';
import type { ConnectorRecord, ConnectorSnapshot } from './connector.js';
import { INITIAL_STATUS } from './enums.js';
import type { JobType, SyncStatus, TriggerMethod } from './enums.js';
import { ConnectorNotFoundError, ConnectorNotSyncableError } from './errors.js';
import type { JsonObject } from './json.js';
import type { CreateSyncJobCommand } from './request.js';
import type { Instant } from './instant.js';

/** A connector sync job (spec section 2), camelCase. Absent values are null. */
export interface SyncJob {
  id: string;
  cancelationRequestedAt: Instant | null;
  canceledAt: Instant | null;
  completedAt: Instant | null;
  connector: ConnectorSnapshot;
  createdAt: Instant;
  deletedDocumentCount: number;
  error: string | null;
  indexedDocumentCount: number;
  indexedDocumentVolume: number;
  jobType: JobType;
  lastSeen: Instant | null;
  metadata: JsonObject;
  startedAt: Instant | null;
  status: SyncStatus;
  totalDocumentCount: number;
  triggerMethod: TriggerMethod;
  workerHostname: string | null;
}

/**
 * The creation checks of spec section 1, steps 6 to 8, in that order: the connector exists
 * and is not soft-deleted; it has an index (for every job type, access control included);
 * it has a service type. Throws the typed error of the first failing check.
 */
export function assertSyncable(
  connectorId: string,
  connector: ConnectorRecord | null | undefined,
): asserts connector is ConnectorRecord {
  if (!connector || connector.deleted) throw new ConnectorNotFoundError(connectorId);
  if (isNullOrEmpty(connector.indexName)) throw new ConnectorNotSyncableError(connectorId, 'no_index');
  if (isNullOrEmpty(connector.serviceType)) throw new ConnectorNotSyncableError(connectorId, 'no_service_type');
}

/**
 * A new job for a syncable connector: status pending, `createdAt` = `lastSeen` = `now`,
 * counters 0, empty metadata, the connector snapshot (sharing the connector's configuration and
 * filtering; see {@link snapshotConnector}). Runs {@link assertSyncable} first.
 */
export function newSyncJob(
  id: string,
  command: CreateSyncJobCommand,
  connector: ConnectorRecord | null | undefined,
  now: Instant,
): SyncJob {
  assertSyncable(command.connectorId, connector);
  const at = now;
  return {
    id,
    cancelationRequestedAt: null,
    canceledAt: null,
    completedAt: null,
    connector: snapshotConnector(connector, command.jobType),
    createdAt: at,
    deletedDocumentCount: 0,
    error: null,
    indexedDocumentCount: 0,
    indexedDocumentVolume: 0,
    jobType: command.jobType,
    lastSeen: at,
    metadata: {},
    startedAt: null,
    status: INITIAL_STATUS,
    totalDocumentCount: 0,
    triggerMethod: command.triggerMethod,
    workerHostname: null,
  };
}

/**
 * A copy of a job that shares no mutable state with the original: a new top-level object
 * (instants are immutable and shared), a deep copy of the snapshot and the metadata.
 */
export function cloneSyncJob(job: SyncJob): SyncJob {
  return {
    ...job,
    connector: cloneSnapshot(job.connector),
    metadata: cloneJson(job.metadata),
  };
}

/** A deep copy of a connector snapshot. */
export function cloneSnapshot(s: ConnectorSnapshot): ConnectorSnapshot {
  const out: ConnectorSnapshot = { id: s.id };
  if (s.filtering !== undefined) out.filtering = cloneFilteringRules(s.filtering);
  if (s.indexName !== undefined) out.indexName = s.indexName;
  if (s.language !== undefined) out.language = s.language;
  if (s.pipeline !== undefined) out.pipeline = { ...s.pipeline };
  if (s.serviceType !== undefined) out.serviceType = s.serviceType;
  if (s.configuration !== undefined) out.configuration = cloneJson(s.configuration);
  if (s.syncCursor !== undefined) out.syncCursor = cloneJson(s.syncCursor);
  return out;
}
