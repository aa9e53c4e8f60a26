import { decodeConnectorDocument } from '../../../src/index.js';
import type { ConnectorRecord, JsonObject, JsonValue } from '../../../src/index.js';
import type { Row } from '../queryable.js';
import type { ParamCast } from './param-cast.js';
import { fromJson, jsonText } from './pg-json.js';
import { instantFromPg, instantToPg } from './pg-instant.js';
import { checkText } from './storable-text.js';

/**
 * One column of `connectors`. Its name is also the field's key in the connector document
 * (Elasticsearch's wire form, `encodeConnectorDocument` / `decodeConnectorDocument`), which is
 * what the json columns hold.
 */
export interface ConnectorColumn {
  /** The column name in `connectors`, and the document key. */
  readonly name: string;
  readonly cast: ParamCast;
  /** Record -> parameter; `doc` is the record's document, from which the json columns take their wire form. */
  readonly param: (connector: ConnectorRecord, doc: JsonObject) => unknown;
  /**
   * Row -> record: the column's value as the document field `decodeConnectorDocument` reads
   * (undefined: left out of the document); null for `id`, which the decoder takes apart.
   */
  readonly read: ((value: unknown) => JsonValue | undefined) | null;
  /** Text columns: the record's text, checked before anything is encoded (an UnstorableValueError names the column). */
  readonly text?: (connector: ConnectorRecord) => string | null;
  /** The select expression when it is not the bare column (`last_synced::text`: microseconds in any time zone). */
  readonly select?: string;
}

type TextField =
  | 'indexName'
  | 'serviceType'
  | 'language'
  | 'name'
  | 'description'
  | 'status'
  | 'lastSyncStatus'
  | 'lastSyncError'
  | 'lastAccessControlSyncStatus'
  | 'lastAccessControlSyncError'
  | 'error';

const text = (field: TextField, name: string): ConnectorColumn => {
  const value = (c: ConnectorRecord): string | null => c[field] ?? null;
  return { name, cast: '', param: value, text: value, read: (v) => (typeof v === 'string' ? v : undefined) };
};

const flag = (field: 'isNative' | 'deleted', name: string): ConnectorColumn => ({
  name,
  cast: '',
  param: (c) => c[field] === true,
  read: (v) => v === true,
});

const json = (name: 'pipeline' | 'configuration' | 'filtering'): ConnectorColumn => ({
  name,
  cast: '::text::json',
  param: (_c, doc) => jsonText(doc[name], name),
  read: fromJson,
});

const syncCount = (field: 'lastIndexedDocumentCount' | 'lastDeletedDocumentCount', name: string): ConnectorColumn => ({
  name,
  cast: '',
  param: (c) => c[field] ?? null,
  read: (v) => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : undefined),
});

/**
 * The connector row mapping, one entry per record field (the mapped type makes a missing field a
 * compile error), in statement order: column name, parameter cast, record -> parameter,
 * row -> record. The reads, the upsert and the create's versioned read derive their column
 * lists, parameters, text checks and decoding from it: a new connector field is one entry here
 * (and its column in a migration).
 */
const CONNECTOR_FIELDS: { readonly [F in keyof ConnectorRecord]-?: ConnectorColumn } = {
  id: { name: 'id', cast: '', param: (c) => c.id, text: (c) => c.id, read: null },
  indexName: text('indexName', 'index_name'),
  serviceType: text('serviceType', 'service_type'),
  language: text('language', 'language'),
  name: text('name', 'name'),
  isNative: flag('isNative', 'is_native'),
  pipeline: json('pipeline'),
  configuration: json('configuration'),
  filtering: json('filtering'),
  deleted: flag('deleted', 'deleted'),
  description: text('description', 'description'),
  status: text('status', 'status'),
  lastSyncStatus: text('lastSyncStatus', 'last_sync_status'),
  lastSyncError: text('lastSyncError', 'last_sync_error'),
  lastAccessControlSyncStatus: text('lastAccessControlSyncStatus', 'last_access_control_sync_status'),
  lastAccessControlSyncError: text('lastAccessControlSyncError', 'last_access_control_sync_error'),
  lastSynced: {
    name: 'last_synced',
    cast: '::timestamptz',
    param: (c) => instantToPg(c.lastSynced ?? null),
    read: (v) => instantFromPg(v)?.toString(),
    select: 'last_synced::text AS last_synced',
  },
  lastIndexedDocumentCount: syncCount('lastIndexedDocumentCount', 'last_indexed_document_count'),
  lastDeletedDocumentCount: syncCount('lastDeletedDocumentCount', 'last_deleted_document_count'),
  syncCursor: { name: 'sync_cursor', cast: '::text::json', param: (c) => (c.syncCursor == null ? null : jsonText(c.syncCursor, 'sync_cursor')), read: fromJson },
  error: text('error', 'error'),
};

/** The column of each record field. */
export const CONNECTOR_FIELDS_BY_NAME: { readonly [F in keyof ConnectorRecord]-?: ConnectorColumn } = CONNECTOR_FIELDS;

/** Every `connectors` column this adapter reads and writes, in statement order (`id` first). */
export const CONNECTOR_COLUMNS: readonly ConnectorColumn[] = Object.values(CONNECTOR_FIELDS);

/** `id, index_name, ...`: the insert list of {@link CONNECTOR_COLUMNS}. */
export const CONNECTOR_COLUMN_LIST = CONNECTOR_COLUMNS.map((c) => c.name).join(', ');

/** The select list of {@link CONNECTOR_COLUMNS} (each column's `select` where it has one). */
export const CONNECTOR_SELECT_LIST = CONNECTOR_COLUMNS.map((c) => c.select ?? c.name).join(', ');

/** Refuses (UnstorableValueError) a connector whose text fields hold `\u0000` or a lone surrogate. */
export function checkConnectorText(connector: ConnectorRecord): void {
  for (const c of CONNECTOR_COLUMNS) if (c.text !== undefined) checkText(c.text(connector), c.name);
}

/** The parameters of {@link CONNECTOR_COLUMNS} for a connector and its document. */
export function connectorParams(connector: ConnectorRecord, doc: JsonObject): unknown[] {
  return CONNECTOR_COLUMNS.map((c) => c.param(connector, doc));
}

/** A row with every {@link CONNECTOR_COLUMNS} column as a connector record (the codec's lenient decoding). */
export function rowToConnector(row: Row): ConnectorRecord {
  const doc: JsonObject = {};
  for (const c of CONNECTOR_COLUMNS) {
    if (c.read === null) continue;
    const v = c.read(row[c.name]);
    if (v !== undefined) doc[c.name] = v;
  }
  return decodeConnectorDocument(String(row.id), doc);
}
