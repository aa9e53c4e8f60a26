import type {
  ConnectorRecord,
  ConnectorSnapshot,
  FilteringRules,
  JsonObject,
  JsonValue,
  SyncJob,
} from '../../src/index.js';

/**
 * How the memory store keeps what it stores apart from its callers (ARCHITECTURE.md, "Copies"):
 * by immutability. It keeps deep-frozen values and remembers them, so a value it froze once is
 * shared, never copied again: a connector is frozen at upsert, a create's snapshot shares its
 * frozen configuration and filtering (and jobs of an unchanged connector share one frozen
 * snapshot, {@link SnapshotCache}), an update shares every part it did not change. A job
 * handed out is a new top-level object around frozen parts: it shares nothing mutable with the
 * store (changing a frozen part throws a TypeError).
 *
 * Only this adapter needs it: the other stores serialise every value they keep and hand out.
 */

/** Values deep-frozen here: immutable, safe to share instead of copying. */
const FROZEN = new WeakSet<object>();

const EMPTY: JsonObject = Object.freeze({});
FROZEN.add(EMPTY);

/** True when `value` is a primitive or was deep-frozen here. */
export function isFrozenJson(value: unknown): boolean {
  return value === null || typeof value !== 'object' || FROZEN.has(value);
}

function markFrozen<T extends object>(value: T): T {
  Object.freeze(value);
  FROZEN.add(value);
  return value;
}

function setOwn(out: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep-frozen copy of a JSON value (the value itself when it is frozen already). */
export function freezeJson<T extends JsonValue>(value: T): T {
  if (isFrozenJson(value)) return value;
  if (Array.isArray(value)) return markFrozen(value.map((v) => freezeJson(v))) as T;
  const keys = Object.keys(value as JsonObject);
  if (keys.length === 0) return EMPTY as T;
  const out: JsonObject = {};
  for (const key of keys) {
    const v = (value as JsonObject)[key];
    if (v === undefined) continue;
    setOwn(out, key, freezeJson(v));
  }
  return markFrozen(out) as T;
}

/** A deep-frozen copy of a filtering block. */
export function freezeFilteringRules(block: FilteringRules): FilteringRules {
  if (isFrozenJson(block)) return block;
  return markFrozen({
    advancedSnippet:
      block.advancedSnippet &&
      markFrozen({
        createdAt: block.advancedSnippet.createdAt,
        updatedAt: block.advancedSnippet.updatedAt,
        value: freezeJson(block.advancedSnippet.value),
      }),
    rules: markFrozen(block.rules.map((r) => markFrozen({ ...r }))),
    validation:
      block.validation &&
      markFrozen({
        errors: markFrozen(
          block.validation.errors.map((e) => markFrozen({ ids: markFrozen([...e.ids]), messages: markFrozen([...e.messages]) })),
        ),
        state: block.validation.state,
      }),
  });
}

/** A deep-frozen copy of a connector record. */
export function freezeConnector(connector: ConnectorRecord): ConnectorRecord {
  if (isFrozenJson(connector)) return connector;
  return markFrozen({
    ...connector,
    pipeline: connector.pipeline && markFrozen({ ...connector.pipeline }),
    configuration: connector.configuration && freezeJson(connector.configuration),
    filtering:
      connector.filtering &&
      markFrozen(
        connector.filtering.map((f) =>
          markFrozen({
            domain: f.domain,
            active: f.active && freezeFilteringRules(f.active),
            draft: f.draft && freezeFilteringRules(f.draft),
          }),
        ),
      ),
  });
}

/**
 * A deep-frozen snapshot; frozen parts are shared. The shell is frozen but not registered (one
 * WeakSet entry per job costs more than copying the small shell when an update changes it).
 */
export function freezeSnapshot(s: ConnectorSnapshot): ConnectorSnapshot {
  if (Object.isFrozen(s) && [s.filtering, s.pipeline, s.configuration, s.syncCursor].every((p) => p === undefined || isFrozenJson(p))) {
    return s;
  }
  const out: ConnectorSnapshot = { id: s.id };
  if (s.filtering !== undefined) out.filtering = freezeFilteringRules(s.filtering);
  if (s.indexName !== undefined) out.indexName = s.indexName;
  if (s.language !== undefined) out.language = s.language;
  if (s.pipeline !== undefined) out.pipeline = isFrozenJson(s.pipeline) ? s.pipeline : markFrozen({ ...s.pipeline });
  if (s.serviceType !== undefined) out.serviceType = s.serviceType;
  if (s.configuration !== undefined) out.configuration = freezeJson(s.configuration);
  if (s.syncCursor !== undefined) out.syncCursor = freezeJson(s.syncCursor);
  return Object.freeze(out);
}

/**
 * True when `a` holds what the frozen snapshot `b` holds: the same strings and the very same
 * (deep-frozen, so immutable) parts. Then `b` can be kept for `a` without copying anything.
 */
function sameSnapshot(a: ConnectorSnapshot, b: ConnectorSnapshot): boolean {
  return (
    a.id === b.id &&
    a.configuration === b.configuration &&
    a.indexName === b.indexName &&
    a.serviceType === b.serviceType &&
    a.language === b.language &&
    a.pipeline === b.pipeline &&
    a.filtering === b.filtering &&
    a.syncCursor === b.syncCursor
  );
}

/** Most snapshots remembered per connector id (a job and an access-control job have two). */
const SNAPSHOTS_PER_CONNECTOR = 4;
/** Most connector ids remembered; past it the memory is dropped (a cache, never a leak). */
const SNAPSHOT_CONNECTORS = 1024;

/**
 * Remembers the frozen snapshots a store kept lately, by connector id, so jobs created from an
 * unchanged connector share one frozen snapshot: no copy per create and one snapshot in memory
 * for all of them. Sharing is safe because a kept snapshot and its parts are deep-frozen.
 */
export class SnapshotCache {
  private readonly byConnector = new Map<string, ConnectorSnapshot[]>();

  /** A deep-frozen snapshot equal to `s`: a remembered one when {@link sameSnapshot}, else {@link freezeSnapshot}'s. */
  freeze(s: ConnectorSnapshot): ConnectorSnapshot {
    let kept = this.byConnector.get(s.id);
    if (kept !== undefined) {
      for (const k of kept) if (sameSnapshot(s, k)) return k;
    } else {
      if (this.byConnector.size >= SNAPSHOT_CONNECTORS) this.byConnector.clear();
      kept = [];
      this.byConnector.set(s.id, kept);
    }
    const frozen = freezeSnapshot(s);
    if (kept.length >= SNAPSHOTS_PER_CONNECTOR) kept.shift();
    kept.push(frozen);
    return frozen;
  }
}

/**
 * What the store keeps: the job with a deep-frozen snapshot and metadata (a new top-level
 * object). With a cache, an unchanged connector's snapshot is shared between jobs.
 */
export function freezeSyncJob(job: SyncJob, snapshots?: SnapshotCache): SyncJob {
  const connector = snapshots ? snapshots.freeze(job.connector) : freezeSnapshot(job.connector);
  return { ...job, connector, metadata: freezeJson(job.metadata) };
}

/** What the store hands out: a new top-level object around the kept job's frozen parts. */
export function handOut(kept: SyncJob): SyncJob {
  return { ...kept };
}
