import type { ConnectorRecord, ConnectorSetup, FilteringConfig, JsonObject, JsonValue } from '../domain/index.js';
import { InvalidRequestError, cloneJson, connectorFromSetup, isJsonObject, jsonTokenName } from '../domain/index.js';
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

function decodeFiltering(v: JsonValue | undefined, strict: boolean, now: Date): FilteringConfig[] | null {
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

const PIPELINE_FIELDS = [
  ['extract_binary_content', 'boolean'],
  ['name', 'string'],
  ['reduce_whitespace', 'boolean'],
  ['run_ml_inference', 'boolean'],
] as const;

/**
 * Upstream's pipeline parser requires all four fields with their types; a setup request is held
 * to the same, so a snapshot never carries a value the connector did not have.
 */
function checkPipeline(pipeline: JsonObject): void {
  const missing: string[] = [];
  for (const [field, type] of PIPELINE_FIELDS) {
    const v = pipeline[field];
    if (v === undefined) missing.push(field);
    else if (typeof v !== type) {
      throw new InvalidRequestError(
        'failed_to_parse_field',
        `${PARSER} failed to parse field [pipeline]`,
        'pipeline',
        new InvalidRequestError('wrong_type', `[pipeline] ${field} doesn't support values of type: ${jsonTokenName(v)}`),
      );
    }
  }
  if (missing.length > 0) {
    throw new InvalidRequestError(
      'failed_to_parse_field',
      `${PARSER} failed to parse field [pipeline]`,
      'pipeline',
      new InvalidRequestError('missing_field', `Required [${missing.join(', ')}]`),
    );
  }
}

/**
 * A connector record from a document. Lenient by default (a stored document has many more
 * fields: they are ignored); with `strict`, unknown fields and wrong types are
 * InvalidRequestError, as for a setup request.
 */
export function decodeConnectorDocument(id: string, doc: unknown, options: { strict?: boolean; now?: Date } = {}): ConnectorRecord {
  const strict = options.strict === true;
  if (!isJsonObject(doc)) {
    throw new InvalidRequestError('not_an_object', `${PARSER} Expected START_OBJECT but was: ${jsonTokenName(doc)}`);
  }
  if (strict) {
    for (const key of Object.keys(doc)) {
      if (!(CONNECTOR_DOCUMENT_FIELDS as readonly string[]).includes(key)) {
        throw new InvalidRequestError('unknown_field', `${PARSER} unknown field [${key}]`, key);
      }
    }
    for (const key of ['is_native', 'deleted'] as const) {
      const v = doc[key];
      if (v !== undefined && v !== null && typeof v !== 'boolean') throw wrongType(key, v);
    }
  }
  const pipeline = optObject(doc, 'pipeline', strict);
  if (strict && pipeline) checkPipeline(pipeline);
  const configuration = optObject(doc, 'configuration', strict);
  const record: ConnectorRecord = {
    id,
    indexName: optString(doc, 'index_name', strict),
    serviceType: optString(doc, 'service_type', strict),
    language: optString(doc, 'language', strict),
    pipeline: pipeline && decodePipeline(pipeline),
    configuration: configuration && cloneJson(configuration),
    filtering: decodeFiltering(doc.filtering, strict, options.now ?? new Date()),
    deleted: doc.deleted === true,
    name: optString(doc, 'name', strict),
    isNative: doc.is_native === true,
  };
  // present only when set, so a record without them round-trips unchanged
  const description = optString(doc, 'description', strict);
  if (description !== null) record.description = description;
  const status = strict ? null : optString(doc, 'status', false);
  if (status !== null) record.status = status;
  return record;
}

/**
 * A connector setup request (`PUT _connector/<id>`; `body` undefined when there is none) as
 * the connector to store: the body read strictly (unknown fields, wrong types, a malformed
 * pipeline or filtering are InvalidRequestError), then upstream's defaults for what it does not
 * name ({@link connectorFromSetup}; `now` stamps the default filtering).
 */
export function decodeConnectorSetup(id: string, body: unknown, now: Date): ConnectorRecord {
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
  out.deleted = c.deleted;
  return out;
}

/** What a connector read answers: `{"id", ...document}`. */
export function toConnectorResponse(c: ConnectorRecord): JsonObject {
  return { id: c.id, ...encodeConnectorDocument(c) };
}
