import { isNullOrEmpty, snapshotConnector } from './connector.js';
import type { ConnectorRecord, ConnectorSnapshot } from './connector.js';
import { INITIAL_STATUS } from './enums.js';
import type { JobType, SyncStatus, TriggerMethod } from './enums.js';
import { ConnectorNotFoundError, ConnectorNotSyncableError } from './errors.js';
import type { JsonObject } from './json.js';
import type { CreateSyncJobCommand } from './request.js';

/** A connector sync job (spec section 2), camelCase. Absent values are null. */
export interface SyncJob {
  id: string;
  cancelationRequestedAt: Date | null;
  canceledAt: Date | null;
  completedAt: Date | null;
  connector: ConnectorSnapshot;
  createdAt: Date;
  deletedDocumentCount: number;
  error: string | null;
  indexedDocumentCount: number;
  indexedDocumentVolume: number;
  jobType: JobType;
  lastSeen: Date | null;
  metadata: JsonObject;
  startedAt: Date | null;
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
 * counters 0, empty metadata, a deep-copied connector snapshot. Runs {@link assertSyncable} first.
 */
export function newSyncJob(
  id: string,
  command: CreateSyncJobCommand,
  connector: ConnectorRecord | null | undefined,
  now: Date,
): SyncJob {
  assertSyncable(command.connectorId, connector);
  const at = new Date(now.getTime());
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
    lastSeen: new Date(at.getTime()),
    metadata: {},
    startedAt: null,
    status: INITIAL_STATUS,
    totalDocumentCount: 0,
    triggerMethod: command.triggerMethod,
    workerHostname: null,
  };
}

/** A deep copy of a job, so stores never share mutable state with callers. */
export function cloneSyncJob(job: SyncJob): SyncJob {
  const d = (x: Date | null): Date | null => (x === null ? null : new Date(x.getTime()));
  return {
    ...job,
    cancelationRequestedAt: d(job.cancelationRequestedAt),
    canceledAt: d(job.canceledAt),
    completedAt: d(job.completedAt),
    connector: structuredClone(job.connector),
    createdAt: new Date(job.createdAt.getTime()),
    lastSeen: d(job.lastSeen),
    metadata: structuredClone(job.metadata),
    startedAt: d(job.startedAt),
  };
}
