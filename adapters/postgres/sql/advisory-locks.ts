import type { JobClass } from '../../../src/index.js';
import type { SqlExecutor } from '../queryable.js';

/** Advisory lock namespaces (first key of the two-int form), one per kind of lock the insert takes. */
const LOCK_IDEMPOTENCY = 0x63736a31;
const LOCK_ACTIVE = 0x63736a32;

const LOCK_SQL = 'SELECT pg_advisory_xact_lock($1, hashtext($2))';

/** Serialises, until `tx` ends, the transactions that insert with the idempotency key `key`. */
export async function lockIdempotencyKey(tx: SqlExecutor, key: string): Promise<void> {
  await tx.query(LOCK_SQL, [LOCK_IDEMPOTENCY, key]);
}

/** Serialises, until `tx` ends, the one-active-job checks of one connector and job class. */
export async function lockActiveJobClass(tx: SqlExecutor, connectorId: string, jobClass: JobClass): Promise<void> {
  await tx.query(LOCK_SQL, [LOCK_ACTIVE, `${connectorId}\u0001${jobClass}`]);
}
