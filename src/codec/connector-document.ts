import type { ConnectorRecord, ConnectorSetup, FilteringConfig, JsonObject, JsonValue } from '../domain/index.js';
import { Instant, InvalidRequestError, cloneJson, connectorFromSetup, isJsonObject, jsonTokenName, strictBodyParser } from '../domain/index.js';
import { parseConnectorFiltering } from './filtering-parser.js';
import { decodeFilteringRules, decodePipeline, encodeFilteringRules, encodePipeline } from './sync-job-document.js';

/**
 * The connector document as Elasticsearch stores it in `.elastic-connectors` (spec section 3),
 * and as the HTTP setup endpoint takes it. Only the fields the core reads, plus `name`,
 * `is_native` and `deleted`.
 */
export const CONNECTOR_DOCUMENT_FIELDS = [
  'description',
  'index_name',
  'name',
  'service_type',
  'language',
  'is_native',
  'pipeline',
  'configuration',
  'filtering',
  'deleted',
] as const;

/** The fields of upstream's `PUT _connector/<id>` request (PutConnectorAction.Request). */
export const UPSTREAM_CONNECTOR_PUT_FIELDS = ['description', 'index_name', 'is_native', 'language', 'name', 'service_type'] as const;

/** This project's setup extensions to that request (what the core reads, and the soft-delete flag). */
export const CONNECTOR_SETUP_EXTENSION_FIELDS = ['pipeline', 'configuration', 'filtering', 'deleted'] as const;

const PARSER = '[connector_put_request]';

function wrongType(field: string, value: unknown): InvalidRequestError {
  return new InvalidRequestError(
    'wrong_type',
    `${PARSER} ${field} doesn't support values of type: ${jsonTokenName(value)}`,
    field,
  );
}

function optString(doc: JsonObject, field: string, strict: boolean): string | null {
  const v = doc[field];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (strict) throw wrongType(field, v);
  return null;
}

function optObject(doc: JsonObject, field: string, strict: boolean): JsonObject | null {
  const v = doc[field];
  if (v === undefined || v === null) return null;
  if (isJsonObject(v)) return v;
  if (strict) throw wrongType(field, v);
  return null;
}

function decodeFiltering(v: JsonValue | undefined, strict: boolean, now: Instant): FilteringConfig[] | null {
  if (v === undefined || v === null) return null;
  if (strict) return parseConnectorFiltering(v, PARSER.slice(1, -1), now);
  if (!Array.isArray(v)) {
    if (strict) throw wrongType('filtering', v);
    return null;
  }
  const out: FilteringConfig[] = [];
  for (const entry of v) {
    if (!isJsonObject(entry)) {
      if (strict) throw wrongType('filtering', entry);
      continue;
    }
    const active = isJsonObject(entry.active) ? entry.active : null;
    const draft = isJsonObject(entry.draft) ? entry.draft : null;
    out.push({
      domain: typeof entry.domain === 'string' ? entry.domain : null,
      active: active && decodeFilteringRules(active),
      draft: draft && decodeFilteringRules(draft),
    });
  }
  return out;
}

/**
 * Upstream's pipeline parser requires all four fields with their types; a setup request is held
 * to the same, so a snapshot never carries a value the connector did not have. Unknown pipeline
 * keys are skipped.
 */
const PIPELINE_BODY = strictBodyParser(
  'pipeline',
  {
    extract_binary_content: { type: 'boolean', required: true },
    name: { type: 'string', required: true },
    reduce_whitespace: { type: 'boolean', required: true },
    run_ml_inference: { type: 'boolean', required: true },
  },
  { ignoreUnknown: true },
);

/** The setup request body (`PUT _connector/<id>`), declared on the domain's strict-body parser. */
export const CONNECTOR_PUT_BODY = strictBodyParser('connector_put_request', {
  description: { type: 'string', nullable: true },
  index_name: { type: 'string', nullable: true },
  name: { type: 'string', nullable: true },
  service_type: { type: 'string', nullable: true },
  language: { type: 'string', nullable: true },
  is_native: { type: 'boolean', nullable: true },
  pipeline: { type: 'object', nullable: true, parser: PIPELINE_BODY },
  configuration: { type: 'object', nullable: true },
  filtering: { type: 'array', nullable: true },
  deleted: { type: 'boolean', nullable: true },
});

/**
 * A connector record from a document. Lenient by default (a stored document has many more
 * fields: they are ignored); with `strict`, unknown fields and wrong types are
 * InvalidRequestError, as for a setup request.
 */
export function decodeConnectorDocument(id: string, doc: unknown, options: { strict?: boolean; now?: Instant } = {}): ConnectorRecord {
  const strict = options.strict === true;
  if (!isJsonObject(doc)) {
    throw new InvalidRequestError('not_an_object', `${PARSER} Expected START_OBJECT but was: ${jsonTokenName(doc)}`);
  }
  if (strict) CONNECTOR_PUT_BODY.parse(doc);
  const pipeline = optObject(doc, 'pipeline', strict);
  const configuration = optObject(doc, 'configuration', strict);
  const record: ConnectorRecord = {
    id,
    indexName: optString(doc, 'index_name', strict),
    serviceType: optString(doc, 'service_type', strict),
    language: optString(doc, 'language', strict),
    pipeline: pipeline && decodePipeline(pipeline),
    configuration: configuration && cloneJson(configuration),
    filtering: decodeFiltering(doc.filtering, strict, options.now ?? Instant.fromDate(new Date())),
    deleted: doc.deleted === true,
    name: optString(doc, 'name', strict),
    isNative: doc.is_native === true,
  };
  // present only when set, so a record without them round-trips unchanged
  const description = optString(doc, 'description', strict);
  if (description !== null) record.description = description;
  const status = strict ? null : optString(doc, 'status', false);
  if (status !== null) record.status = status;
  if (!strict) decodeSyncInfo(doc, record);
  return record;
}

/** The sync info fields (spec section 8): record field, document field, kind. */
const SYNC_INFO_FIELDS = [
  ['lastSyncStatus', 'last_sync_status', 'string'],
  ['lastSyncError', 'last_sync_error', 'string'],
  ['lastAccessControlSyncStatus', 'last_access_control_sync_status', 'string'],
  ['lastAccessControlSyncError', 'last_access_control_sync_error', 'string'],
  ['lastSynced', 'last_synced', 'instant'],
  ['lastIndexedDocumentCount', 'last_indexed_document_count', 'number'],
  ['lastDeletedDocumentCount', 'last_deleted_document_count', 'number'],
  ['syncCursor', 'sync_cursor', 'json'],
  ['error', 'error', 'string'],
] as const;

/** Reads the sync info a document holds (lenient: a value of another type is left out). */
function decodeSyncInfo(doc: JsonObject, record: ConnectorRecord): void {
  const r = record as unknown as Record<string, unknown>;
  for (const [field, wire, kind] of SYNC_INFO_FIELDS) {
    const v = doc[wire];
    if (v === undefined || v === null) continue;
    if (kind === 'string' && typeof v === 'string') r[field] = v;
    else if (kind === 'number' && typeof v === 'number') r[field] = v;
    else if (kind === 'instant' && typeof v === 'string') {
      const at = Instant.parse(v);
      if (at !== null) r[field] = at;
    } else if (kind === 'json') r[field] = cloneJson(v);
  }
}

/**
 * The sync info of a record as document fields, in upstream's names: nulls left out, or with
 * `nulls` written as null (a partial update that clears them).
 */
export function encodeSyncInfo(info: Partial<Record<(typeof SYNC_INFO_FIELDS)[number][0], unknown>>, nulls = false): JsonObject {
  const out: JsonObject = {};
  for (const [field, wire, kind] of SYNC_INFO_FIELDS) {
    const v = info[field];
    if (v === undefined) continue;
    if (v === null) {
      if (nulls) out[wire] = null;
      continue;
    }
    out[wire] = kind === 'instant' ? (v as Instant).toString() : kind === 'json' ? cloneJson(v as JsonValue) : (v as string | number);
  }
  return out;
}

/**
 * A connector setup request (`PUT _connector/<id>`; `body` undefined when there is none) as
 * the connector to store: the body read strictly (unknown fields, wrong types, a malformed
 * pipeline or filtering are InvalidRequestError), then upstream's defaults for what it does not
 * name ({@link connectorFromSetup}; `now` stamps the default filtering).
 */
export function decodeConnectorSetup(id: string, body: unknown, now: Instant): ConnectorRecord {
  if (body === undefined) return connectorFromSetup(id, {}, now);
  const r = decodeConnectorDocument(id, body, { strict: true, now });
  const doc = body as JsonObject;
  const given = (field: string): boolean => doc[field] !== undefined && doc[field] !== null;
  const setup: ConnectorSetup = {};
  if (given('description')) setup.description = r.description ?? null;
  if (given('index_name')) setup.indexName = r.indexName;
  if (given('is_native')) setup.isNative = r.isNative === true;
  if (given('language')) setup.language = r.language;
  if (given('name')) setup.name = r.name ?? null;
  if (given('service_type')) setup.serviceType = r.serviceType;
  if (given('pipeline')) setup.pipeline = r.pipeline;
  if (given('configuration')) setup.configuration = r.configuration;
  if (given('filtering')) setup.filtering = r.filtering;
  if (given('deleted')) setup.deleted = r.deleted;
  return connectorFromSetup(id, setup, now);
}

/** A connector record as a document (no `id`), null values left out. */
export function encodeConnectorDocument(c: ConnectorRecord): JsonObject {
  const out: JsonObject = {};
  if (c.description !== undefined && c.description !== null) out.description = c.description;
  if (c.indexName !== null) out.index_name = c.indexName;
  if (c.name !== undefined && c.name !== null) out.name = c.name;
  if (c.serviceType !== null) out.service_type = c.serviceType;
  if (c.language !== null) out.language = c.language;
  out.is_native = c.isNative === true;
  if (c.pipeline !== null) out.pipeline = encodePipeline(c.pipeline);
  if (c.configuration !== null) out.configuration = cloneJson(c.configuration);
  if (c.filtering !== null) {
    out.filtering = c.filtering.map((f) => {
      const e: JsonObject = {};
      if (f.domain !== null) e.domain = f.domain;
      if (f.active !== null) e.active = encodeFilteringRules(f.active);
      if (f.draft !== null) e.draft = encodeFilteringRules(f.draft);
      return e;
    });
  }
  if (c.status !== undefined && c.status !== null) out.status = c.status;
  Object.assign(out, encodeSyncInfo(c));
  out.deleted = c.deleted;
  return out;
}

/** What a connector read answers: `{"id", ...document}`. */
export function toConnectorResponse(c: ConnectorRecord): JsonObject {
  return { id: c.id, ...encodeConnectorDocument(c) };
}
