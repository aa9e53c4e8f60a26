import type { IdempotencyRecord } from '../../../src/index.js';
import { idempotencyDocId } from '../claims-and-locks.js';
import type { StoreContext } from '../context.js';

/**
 * `GET <idempotency>/_doc/<sha256(key)>`: the fingerprint and job of the key's claim; null when
 * there is none, when it belongs to another key, or when `delete` released it.
 */
export async function findIdempotencyKey(ctx: StoreContext, key: string): Promise<IdempotencyRecord | null> {
  const doc = await ctx.docs.get(ctx.settings.indices.idempotency, idempotencyDocId(key), `idempotency key [${key}]`);
  if (!doc || doc.source.key !== key || doc.source.released_at !== undefined) return null;
  const { fingerprint, job_id: jobId } = doc.source;
  return typeof fingerprint === 'string' && typeof jobId === 'string' ? { fingerprint, jobId } : null;
}
