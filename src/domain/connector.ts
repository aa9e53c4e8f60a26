import { cloneJson, type JsonObject, type JsonValue } from './json.js';
import type { JobType } from './enums.js';
import type { Instant } from './instant.js';

/** A connector's ingest pipeline settings (upstream's ConnectorIngestPipeline). */
export interface IngestPipeline {
  extractBinaryContent: boolean;
  name: string;
  reduceWhitespace: boolean;
  runMlInference: boolean;
}

/** The advanced snippet of a filtering block. */
export interface AdvancedSnippet {
  createdAt: string | null;
  updatedAt: string | null;
  value: JsonValue;
}

/** One basic filtering rule. */
export interface FilteringRule {
  createdAt: string | null;
  field: string | null;
  id: string | null;
  order: number | null;
  policy: string | null;
  rule: string | null;
  updatedAt: string | null;
  value: string | null;
}

/** One validation error of a filtering block. */
export interface FilteringValidationError {
  ids: string[];
  messages: string[];
}

/** The validation state of a filtering block. */
export interface FilteringValidation {
  errors: FilteringValidationError[];
  state: string | null;
}

/** A filtering block (`active` or `draft`): what a sync job's snapshot carries as `filtering`. */
export interface FilteringRules {
  advancedSnippet: AdvancedSnippet | null;
  rules: FilteringRule[];
  validation: FilteringValidation | null;
}

/** One entry of a connector's `filtering` array. */
export interface FilteringConfig {
  domain: string | null;
  active: FilteringRules | null;
  draft: FilteringRules | null;
}

/**
 * The connector as the core reads it (spec section 3): only what the checks and the
 * snapshot need, plus `name` and `isNative` so a connector store can round-trip a setup call.
 */
export interface ConnectorRecord {
  id: string;
  indexName: string | null;
  serviceType: string | null;
  language: string | null;
  pipeline: IngestPipeline | null;
  configuration: JsonObject | null;
  filtering: FilteringConfig[] | null;
  /** Soft-delete flag (newer upstream versions); a deleted connector is not found. */
  deleted: boolean;
  name?: string | null;
  isNative?: boolean;
  /** Upstream's free-text description (setup field); null when none. */
  description?: string | null;
  /** Upstream's ConnectorStatus (`created`, `needs_configuration`, `connected`, `error`, ...); null when unknown. */
  status?: string | null;
  // The sync info (spec section 8): written at a job's claim and end, absent until first set.
  /** The last content sync's status (`in_progress`, `completed`, ...) and error. */
  lastSyncStatus?: string | null;
  lastSyncError?: string | null;
  /** The last access-control sync's status and error. */
  lastAccessControlSyncStatus?: string | null;
  lastAccessControlSyncError?: string | null;
  /** When the last sync ended. */
  lastSynced?: Instant | null;
  lastIndexedDocumentCount?: number | null;
  lastDeletedDocumentCount?: number | null;
  /** The cursor of the last content sync that completed (the next incremental sync starts from it). */
  syncCursor?: JsonValue | null;
  /** The connector's error (its last job's, or a configuration error). */
  error?: string | null;
}

/**
 * The connector as a sync job records it at creation (spec section 2). A key is present
 * only when its value is non-null. `syncCursor` is set later, by claim.
 */
export interface ConnectorSnapshot {
  id: string;
  filtering?: FilteringRules;
  indexName?: string;
  language?: string;
  pipeline?: IngestPipeline;
  serviceType?: string;
  configuration?: JsonObject;
  syncCursor?: JsonValue;
}

/** Prefix of the index an access control sync writes to. */
export const ACCESS_CONTROL_INDEX_PREFIX = '.search-acl-filter-';

/** True when a string is null, undefined or empty (upstream's Strings.isNullOrEmpty). */
export function isNullOrEmpty(value: string | null | undefined): value is null | undefined | '' {
  return value === null || value === undefined || value === '';
}

/** A deep copy of a filtering block. */
export function cloneFilteringRules(block: FilteringRules): FilteringRules {
  return {
    advancedSnippet: block.advancedSnippet && {
      createdAt: block.advancedSnippet.createdAt,
      updatedAt: block.advancedSnippet.updatedAt,
      value: cloneJson(block.advancedSnippet.value),
    },
    rules: block.rules.map((r) => ({ ...r })),
    validation: block.validation && {
      errors: block.validation.errors.map((e) => ({ ids: [...e.ids], messages: [...e.messages] })),
      state: block.validation.state,
    },
  };
}

/** A deep copy of a connector record. */
export function cloneConnector(connector: ConnectorRecord): ConnectorRecord {
  return {
    ...connector,
    pipeline: connector.pipeline && { ...connector.pipeline },
    configuration: connector.configuration && cloneJson(connector.configuration),
    filtering:
      connector.filtering &&
      connector.filtering.map((f) => ({
        domain: f.domain,
        active: f.active && cloneFilteringRules(f.active),
        draft: f.draft && cloneFilteringRules(f.draft),
      })),
  };
}

/**
 * The snapshot rule: the connector id; the `active` block of the FIRST filtering entry as one
 * object; the index name (prefixed with `.search-acl-filter-` for access control); language,
 * pipeline, service type and configuration. Nothing else, null values left out. The filtering
 * block and the configuration are shared with `connector`, not copied: a store isolates what
 * it keeps and hands out (the memory store keeps deep-frozen connectors, so its snapshots share
 * frozen parts; the others serialise).
 */
export function snapshotConnector(connector: ConnectorRecord, jobType: JobType): ConnectorSnapshot {
  const snapshot: ConnectorSnapshot = { id: connector.id };
  const active = connector.filtering?.[0]?.active;
  if (active) snapshot.filtering = active;
  if (connector.indexName !== null) {
    snapshot.indexName =
      jobType === 'access_control' ? ACCESS_CONTROL_INDEX_PREFIX + connector.indexName : connector.indexName;
  }
  if (connector.language !== null) snapshot.language = connector.language;
  if (connector.pipeline !== null) snapshot.pipeline = connector.pipeline;
  if (connector.serviceType !== null) snapshot.serviceType = connector.serviceType;
  if (connector.configuration !== null) snapshot.configuration = connector.configuration;
  return snapshot;
}
