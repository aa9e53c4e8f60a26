import { encodeSnapshot } from '../../../src/internal.js';
import type { ConnectorSnapshot } from '../../../src/internal.js';
import { isFrozenByCache } from '../connector-cache.js';
import { jsonText } from './pg-json.js';

/** Whether each snapshot field is compared by {@link snapshotText} (all are but the cursor: a missing field is a compile error). */
const SNAPSHOT_FIELDS: { readonly [K in keyof ConnectorSnapshot]-?: boolean } = {
  id: true,
  filtering: true,
  indexName: true,
  language: true,
  pipeline: true,
  serviceType: true,
  configuration: true,
  syncCursor: false,
};
const SNAPSHOT_KEYS = (Object.keys(SNAPSHOT_FIELDS) as (keyof ConnectorSnapshot)[]).filter((k) => SNAPSHOT_FIELDS[k]);

/** The last `connector` text per configuration object, with the snapshot it encodes. */
const snapshotTexts = new WeakMap<object, { snapshot: ConnectorSnapshot; text: string | null }>();

/**
 * The `connector` column's JSON text of a snapshot, without its cursor (own column). The domain's
 * snapshot keeps the connector record's parts by reference, and the connector cache's records are
 * deep-frozen, so creates from one cached connector would encode the same parts again and again
 * (a large configuration makes that a large part of a create: docs/decisions/0004-postgres-create-path.md).
 * The text is kept per configuration object and reused only while every object part of the
 * snapshot is one the cache froze ({@link isFrozenByCache}: its content cannot change) and the
 * same object, and every other field the same value; anything else is encoded afresh.
 */
export function snapshotText(snapshot: ConnectorSnapshot): string | null {
  const configuration = snapshot.configuration;
  let reusable = configuration !== undefined;
  for (const k of SNAPSHOT_KEYS) {
    const v = snapshot[k];
    if (typeof v === 'object' && v !== null && !isFrozenByCache(v)) reusable = false;
  }
  if (reusable) {
    const kept = snapshotTexts.get(configuration!);
    if (kept !== undefined && SNAPSHOT_KEYS.every((k) => kept.snapshot[k] === snapshot[k])) return kept.text;
  }
  const { syncCursor: _cursor, ...rest } = snapshot;
  const text = jsonText(encodeSnapshot(rest), 'connector');
  if (reusable) snapshotTexts.set(configuration!, { snapshot: rest, text });
  return text;
}
