import { ConflictError, ConnectorNotFoundError, jobClassOf } from '../../../src/index.js';
import type { ConnectorRecord, InsertOptions, InsertResult, SyncJob } from '../../../src/index.js';
import { rowToConnector } from '../columns/connector-columns.js';
import { JOB_COLUMNS, checkColumnsText, rowToJob } from '../columns/job-columns.js';
import { checkText } from '../columns/storable-text.js';
import type { ConnectorCache } from '../connector-cache.js';
import { translateError } from '../errors.js';
import type { Queryable, Row } from '../queryable.js';
import type { NamedOptions } from '../statement-name.js';
import { lockActiveJobClass, lockIdempotencyKey } from './advisory-locks.js';
import { createSyncJob } from './create-sync-job.js';
import { findActiveSyncJob } from './find-active-sync-job.js';
import { selectIdempotencyKey } from './find-idempotency-key.js';
import { lockVersionedConnector } from './find-versioned-connector.js';
import { selectSyncJob } from './get-sync-job.js';
import { insertIdempotencyKey } from './insert-idempotency-key.js';
import { duplicateIdOr, insertShape, insertSql } from './insert-statement.js';

/**
 * `SyncJobStore.insert`: inserts the job; never overwrites (ConflictError `duplicate_id`), never
 * an orphan: the connector row is read FOR SHARE in the insert's own statement or transaction,
 * so a concurrent delete waits for the commit or wins (ConnectorNotFoundError, upstream's
 * message). Without an idempotency key or the one-active-job policy it is one statement
 * ({@link createSyncJob}). With `options.source` from `cache`, the job is inserted only while the
 * connector row is still the version it was built from; when it is not (another writer, any
 * process), the transaction reads the row as stored and inserts `source.rebuild(row)` instead
 * (the domain's snapshot rule and errors, on the current row). The transaction: idempotency key
 * lock and check, connector row lock and check, one-active-job lock and check, then the writes.
 */
export async function insertSyncJob(
  db: Queryable,
  cache: ConnectorCache | undefined,
  named: NamedOptions,
  job: SyncJob,
  options: InsertOptions,
): Promise<InsertResult> {
  checkColumnsText(job, JOB_COLUMNS);
  const claim = options.idempotency;
  const source = options.source;
  const version = source === undefined ? undefined : cache?.versionOf(source.connector);
  if (!claim && !options.oneActivePerClass) {
    const inserted = await createSyncJob(db, named, job, version);
    if (inserted) {
      if (version !== undefined) cache!.keep(source!.connector);
      return { job, created: true };
    }
    if (version === undefined) throw new ConnectorNotFoundError(job.connector.id);
    // The cached record is not the stored row any more: forget it, decide on the row as stored.
    cache!.forget(job.connector.id);
  }
  if (claim) {
    checkText(claim.key, 'Idempotency-Key');
    checkText(claim.fingerprint, 'fingerprint');
  }
  const connectorId = job.connector.id;
  let current: ConnectorRecord | undefined;
  try {
    const result = await db.transaction(async (tx): Promise<InsertResult> => {
      if (claim) {
        await lockIdempotencyKey(tx, claim.key);
        const earlier = await selectIdempotencyKey(tx, claim.key);
        if (earlier) {
          if (earlier.fingerprint !== claim.fingerprint) throw ConflictError.idempotencyMismatch(claim.key);
          const stored = await selectSyncJob(tx, earlier.jobId);
          if (stored) return { job: stored, created: false };
        }
      }
      // No orphans: the connector row stays locked against updates and deletes until commit.
      const row = await lockVersionedConnector(tx, connectorId);
      if (version !== undefined && (!row || BigInt(String(row.version)) !== version)) {
        // Built from a record that is not the stored row: the domain decides on the row (it throws 404 / 400).
        current = row ? cache!.track(rowToConnector(row), row.version) : undefined;
        job = source!.rebuild(current ?? null);
        checkColumnsText(job, JOB_COLUMNS);
      } else if (!row || row.deleted === true) {
        throw new ConnectorNotFoundError(connectorId);
      } else if (version !== undefined) {
        current = source!.connector;
      }
      if (options.oneActivePerClass) {
        const cls = jobClassOf(job.jobType);
        await lockActiveJobClass(tx, connectorId, cls);
        const blocking = await findActiveSyncJob(tx, connectorId, cls);
        if (blocking !== undefined) throw ConflictError.activeJobExists(connectorId, cls, blocking);
      }
      const shape = insertShape(job);
      let stored: Row | undefined;
      try {
        stored = (await tx.query(insertSql(shape.columns, shape.key, false), shape.params)).rows[0];
      } catch (error) {
        throw duplicateIdOr(error, job.id);
      }
      if (claim) await insertIdempotencyKey(tx, claim.key, claim.fingerprint, job.id);
      return { job: stored ? rowToJob(stored) : job, created: true };
    });
    if (result.created && current !== undefined) cache!.keep(current);
    return result;
  } catch (error) {
    throw translateError(error, 'inserting a sync job');
  }
}
