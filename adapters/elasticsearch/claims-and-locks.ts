import { createHash } from 'node:crypto';
import type { JsonObject } from '../../src/index.js';
import type { ResolvedSettings } from './context.js';
import type { DocumentGateway, Held } from './gateway.js';

/**
 * What the idempotency claims and the active-job locks share: their `_id`s (one document per
 * key, per connector and job class, so `_create` on that `_id` is the atomic step), when one
 * whose job was never written counts as abandoned, and removing the ones a failed insert wrote.
 */

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The `_id` of an idempotency claim. */
export function idempotencyDocId(key: string): string {
  return sha256(`idempotency\u0000${key}`);
}

/** The `_id` of an active-job lock. */
export function activeLockDocId(connectorId: string, jobClass: string): string {
  return sha256(`active\u0000${connectorId}\u0000${jobClass}`);
}

/** A claim or lock older than `staleClaimMs` (or without a readable `created_at`): its writer is presumed gone. */
export function isStale(source: JsonObject, settings: ResolvedSettings): boolean {
  const at = typeof source.created_at === 'string' ? Date.parse(source.created_at) : Number.NaN;
  return Number.isNaN(at) || settings.now() - at > settings.staleClaimMs;
}

/**
 * Removes the claims and locks of a failed insert, the last written first; one that cannot be
 * removed expires (`staleClaimMs`), and its removal's error is attached to `cause` as
 * `cleanupErrors`.
 */
export async function releaseHeld(docs: DocumentGateway, held: Held[], cause: unknown): Promise<void> {
  for (const h of held.reverse()) {
    await docs.release(h).catch((releaseError: unknown) => {
      if (cause instanceof Error) {
        (cause as Error & { cleanupErrors?: unknown[] }).cleanupErrors ??= [];
        (cause as Error & { cleanupErrors?: unknown[] }).cleanupErrors!.push(releaseError);
      }
    });
  }
}
